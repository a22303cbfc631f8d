package io.mp4j.ipc.wire;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that is both a {@link DataOutput} (appending at {@link #size()}) and a
 * {@link DataInput} (reading from {@link #position()}), big-endian as {@code DataOutputStream}.
 * The library's messages that are built whole before they travel (a launch, a pool's tasks and replies, the fork
 * server's messages) are written and parsed with it, so that {@code Codec} slots need no stream objects.
 * Not thread-safe.
 */
public final class WireBuffer implements DataOutput, DataInput {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buf;
    private int size;
    private int pos;

    /**
     * An empty buffer.
     *
     * @param capacity the initial capacity in bytes (at least 16 are allocated)
     */
    public WireBuffer(int capacity) { buf = new byte[Math.max(16, capacity)]; }

    /**
     * Wraps {@code bytes} for reading (no copy).
     *
     * @param bytes the bytes to read
     * @param length how many of them hold data
     */
    public WireBuffer(byte[] bytes, int length) {
        buf = bytes;
        size = length;
    }

    /**
     * Reads {@code bytes[0 .. length)} from now on (no copy); the buffer's own array is dropped.
     *
     * @param bytes the bytes to read
     * @param length how many of them
     */
    public void wrap(byte[] bytes, int length) {
        buf = bytes;
        size = length;
        pos = 0;
    }

    /** {@return the buffer's array itself (no copy): bytes {@code 0 .. size()} are the content} */
    public byte[] array() { return buf; }

    /**
     * The number of bytes written.
     *
     * @return the size
     */
    public int size() { return size; }

    /**
     * The read position.
     *
     * @return the position
     */
    public int position() { return pos; }

    /**
     * Moves the read position.
     *
     * @param p the new position
     */
    public void position(int p) { pos = p; }

    /**
     * The bytes left to read.
     *
     * @return the size less the position
     */
    public int remaining() { return size - pos; }

    /** Empties the buffer. */
    public void clear() { size = 0; pos = 0; }

    /** Drops the bytes before the read position, moving the rest to the start. */
    public void compact() {
        if (pos == 0) return;
        System.arraycopy(buf, pos, buf, 0, size - pos);
        size -= pos;
        pos = 0;
    }

    /**
     * Makes room for {@code n} more bytes and returns the offset to write them at (without advancing).
     *
     * @param n the bytes to make room for
     * @return the offset to write them at
     */
    public int ensure(int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        return size;
    }

    /**
     * Advances the size after bytes were written directly into {@link #array()}.
     *
     * @param n the bytes written
     */
    public void advance(int n) { size += n; }

    /**
     * Sets the number of bytes written.
     *
     * @param n the new size
     */
    public void setSize(int n) { size = n; }

    /**
     * Writes an int at {@code at}, without moving the size.
     *
     * @param at the offset
     * @param v the value
     */
    public void putInt(int at, int v) { INT.set(buf, at, v); }

    /**
     * Writes a long at {@code at}, without moving the size.
     *
     * @param at the offset
     * @param v the value
     */
    public void putLong(int at, long v) { LONG.set(buf, at, v); }

    /**
     * Reads the int at {@code at}.
     *
     * @param at the offset
     * @return the value
     */
    public int getInt(int at) { return (int) INT.get(buf, at); }

    /**
     * A copy of a range.
     *
     * @param from the first offset
     * @param to the offset after the last
     * @return the copy
     */
    public byte[] copy(int from, int to) { return Arrays.copyOfRange(buf, from, to); }

    // ------------------------------------------------------------------ DataOutput

    @Override public void write(int b) { ensure(1); buf[size++] = (byte) b; }

    @Override public void write(byte[] b) { write(b, 0, b.length); }

    @Override public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    @Override public void writeBoolean(boolean v) { write(v ? 1 : 0); }

    @Override public void writeByte(int v) { write(v); }

    @Override public void writeShort(int v) { ensure(2); SHORT.set(buf, size, (short) v); size += 2; }

    @Override public void writeChar(int v) { writeShort(v); }

    @Override public void writeInt(int v) { ensure(4); INT.set(buf, size, v); size += 4; }

    @Override public void writeLong(long v) { ensure(8); LONG.set(buf, size, v); size += 8; }

    @Override public void writeFloat(float v) { writeInt(Float.floatToIntBits(v)); }

    @Override public void writeDouble(double v) { writeLong(Double.doubleToLongBits(v)); }

    @Override public void writeBytes(String s) { for (int i = 0; i < s.length(); i++) write(s.charAt(i)); }

    @Override public void writeChars(String s) { for (int i = 0; i < s.length(); i++) writeChar(s.charAt(i)); }

    @Override public void writeUTF(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeShort(b.length);
        write(b);
    }

    // ------------------------------------------------------------------ DataInput

    private void need(int n) throws EOFException {
        if (size - pos < n) throw new EOFException("frame truncated: need " + n + " bytes, have " + (size - pos));
    }

    @Override public void readFully(byte[] b) throws EOFException { readFully(b, 0, b.length); }

    @Override public void readFully(byte[] b, int off, int len) throws EOFException {
        need(len);
        System.arraycopy(buf, pos, b, off, len);
        pos += len;
    }

    @Override public int skipBytes(int n) {
        int k = Math.min(n, size - pos);
        pos += k;
        return k;
    }

    @Override public boolean readBoolean() throws EOFException { return readByte() != 0; }

    @Override public byte readByte() throws EOFException { need(1); return buf[pos++]; }

    @Override public int readUnsignedByte() throws EOFException { return readByte() & 0xFF; }

    @Override public short readShort() throws EOFException {
        need(2);
        short v = (short) SHORT.get(buf, pos);
        pos += 2;
        return v;
    }

    @Override public int readUnsignedShort() throws EOFException { return readShort() & 0xFFFF; }

    @Override public char readChar() throws EOFException { return (char) readShort(); }

    @Override public int readInt() throws EOFException {
        need(4);
        int v = (int) INT.get(buf, pos);
        pos += 4;
        return v;
    }

    @Override public long readLong() throws EOFException {
        need(8);
        long v = (long) LONG.get(buf, pos);
        pos += 8;
        return v;
    }

    @Override public float readFloat() throws EOFException { return Float.intBitsToFloat(readInt()); }

    @Override public double readDouble() throws EOFException { return Double.longBitsToDouble(readLong()); }

    @Override public String readLine() { throw new UnsupportedOperationException("readLine"); }

    @Override public String readUTF() throws EOFException {
        int n = readUnsignedShort();
        need(n);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }
}
