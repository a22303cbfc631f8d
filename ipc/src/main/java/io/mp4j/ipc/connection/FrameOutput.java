package io.mp4j.ipc.connection;

import java.io.DataOutput;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A reusable, growable {@link DataOutput} that builds one frame (length prefix, then the encoded value)
 * in a heap array, so that sending a message allocates nothing. Big-endian, as {@code DataOutputStream}.
 */
final class FrameOutput implements DataOutput {
    /** Arrays grown beyond this are dropped after the message that needed them. */
    private static final int KEEP = 1 << 20;

    private final int initial;
    private byte[] buf;
    private MemorySegment seg;
    private int size;

    FrameOutput(int initial) {
        this.initial = initial;
        this.buf = new byte[initial];
        this.seg = MemorySegment.ofArray(buf);
    }

    byte[] array() { return buf; }

    /** A heap segment over {@link #array()} (cached: no allocation per message). */
    MemorySegment segment() { return seg; }

    int size() { return size; }

    int capacity() { return buf.length; }

    /** Starts a frame: reserves the 4-byte length prefix. */
    void begin() { size = 4; }

    /** Ends a frame: writes its length prefix; returns the frame's total size. */
    int end() {
        int n = size - 4;
        putInt(0, n);
        return size;
    }

    /** Shrinks back after a message that needed a very large array. */
    void trim() {
        if (buf.length > KEEP) {
            buf = new byte[initial];
            seg = MemorySegment.ofArray(buf);
        }
    }

    void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    private int room(int n) {
        int p = size;
        if (buf.length - p < n) grow(p + n);
        size = p + n;
        return p;
    }

    private void grow(int need) {
        if (need < 0) throw new OutOfMemoryError("message too large for one array");
        int cap = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, (long) buf.length * 2));
        if (cap < need) throw new OutOfMemoryError("message too large for one array: " + need + " bytes");
        buf = Arrays.copyOf(buf, cap);
        seg = MemorySegment.ofArray(buf);
    }

    @Override public void write(int b) { buf[room(1)] = (byte) b; }

    @Override public void write(byte[] b) { write(b, 0, b.length); }

    @Override
    public void write(byte[] b, int off, int len) {
        int p = room(len);
        System.arraycopy(b, off, buf, p, len);
    }

    @Override public void writeBoolean(boolean v) { write(v ? 1 : 0); }

    @Override public void writeByte(int v) { write(v); }

    @Override
    public void writeShort(int v) {
        int p = room(2);
        buf[p] = (byte) (v >>> 8);
        buf[p + 1] = (byte) v;
    }

    @Override public void writeChar(int v) { writeShort(v); }

    @Override public void writeInt(int v) { putInt(room(4), v); }

    @Override
    public void writeLong(long v) {
        int p = room(8);
        putInt(p, (int) (v >>> 32));
        putInt(p + 4, (int) v);
    }

    @Override public void writeFloat(float v) { writeInt(Float.floatToIntBits(v)); }

    @Override public void writeDouble(double v) { writeLong(Double.doubleToLongBits(v)); }

    @Override
    public void writeBytes(String s) {
        int p = room(s.length());
        for (int i = 0; i < s.length(); i++) buf[p + i] = (byte) s.charAt(i);
    }

    @Override
    public void writeChars(String s) {
        for (int i = 0; i < s.length(); i++) writeChar(s.charAt(i));
    }

    @Override
    public void writeUTF(String s) { throw new UnsupportedOperationException("writeUTF: the codec does not use modified UTF-8"); }
}
