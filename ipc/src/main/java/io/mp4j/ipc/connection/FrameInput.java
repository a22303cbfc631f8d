package io.mp4j.ipc.connection;

import java.io.DataInput;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A reusable {@link DataInput} over one received frame, in native memory or a heap array, so that
 * decoding a message allocates nothing but the decoded value. Big-endian, as {@code DataInputStream}.
 */
final class FrameInput implements DataInput {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment seg;
    private long pos, limit;

    /** Reads {@code [from, to)} of {@code segment}. */
    FrameInput reset(MemorySegment segment, long from, long to) {
        this.seg = segment;
        this.pos = from;
        this.limit = to;
        return this;
    }

    /** Drops the reference to the frame (a large one may be a big heap array). */
    void clear() { seg = null; }

    private long take(int n) throws EOFException {
        long p = pos;
        if (limit - p < n) throw new EOFException("corrupt message: it ends before its content does (" + (limit - p) + " bytes left, " + n + " needed)");
        pos = p + n;
        return p;
    }

    @Override public void readFully(byte[] b) throws IOException { readFully(b, 0, b.length); }

    @Override
    public void readFully(byte[] b, int off, int len) throws IOException {
        long p = take(len);
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, p, b, off, len);
    }

    @Override
    public int skipBytes(int n) {
        int k = (int) Math.min(n, limit - pos);
        pos += k;
        return k;
    }

    @Override public boolean readBoolean() throws IOException { return seg.get(ValueLayout.JAVA_BYTE, take(1)) != 0; }

    @Override public byte readByte() throws IOException { return seg.get(ValueLayout.JAVA_BYTE, take(1)); }

    @Override public int readUnsignedByte() throws IOException { return readByte() & 0xff; }

    @Override public short readShort() throws IOException { return seg.get(SHORT, take(2)); }

    @Override public int readUnsignedShort() throws IOException { return readShort() & 0xffff; }

    @Override public char readChar() throws IOException { return seg.get(CHAR, take(2)); }

    @Override public int readInt() throws IOException { return seg.get(INT, take(4)); }

    @Override public long readLong() throws IOException { return seg.get(LONG, take(8)); }

    @Override public float readFloat() throws IOException { return Float.intBitsToFloat(readInt()); }

    @Override public double readDouble() throws IOException { return Double.longBitsToDouble(readLong()); }

    @Override
    public String readLine() { throw new UnsupportedOperationException("readLine"); }

    @Override
    public String readUTF() { throw new UnsupportedOperationException("readUTF: the codec does not use modified UTF-8"); }
}
