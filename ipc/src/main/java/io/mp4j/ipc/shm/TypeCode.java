package io.mp4j.ipc.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Python's {@code array}/{@code ctypes} type codes for shared {@link Value}s and {@link Array}s, with the Java
 * type each reads back as.
 *
 * <table>
 * <caption>Type codes</caption>
 * <tr><th>code</th><th>C type</th><th>bytes</th><th>Java (get / toArray)</th></tr>
 * <tr><td>b</td><td>signed char</td><td>1</td><td>Byte / byte[]</td></tr>
 * <tr><td>B</td><td>unsigned char</td><td>1</td><td>Short / short[]</td></tr>
 * <tr><td>h</td><td>short</td><td>2</td><td>Short / short[]</td></tr>
 * <tr><td>H</td><td>unsigned short</td><td>2</td><td>Integer / int[]</td></tr>
 * <tr><td>i</td><td>int</td><td>4</td><td>Integer / int[]</td></tr>
 * <tr><td>I</td><td>unsigned int</td><td>4</td><td>Long / long[]</td></tr>
 * <tr><td>l, q</td><td>long, long long</td><td>8</td><td>Long / long[]</td></tr>
 * <tr><td>L, Q</td><td>unsigned long (long)</td><td>8</td><td>Long / long[] (two's complement bits)</td></tr>
 * <tr><td>f</td><td>float</td><td>4</td><td>Float / float[]</td></tr>
 * <tr><td>d</td><td>double</td><td>8</td><td>Double / double[]</td></tr>
 * <tr><td>c</td><td>char (a byte)</td><td>1</td><td>Byte / byte[]</td></tr>
 * <tr><td>?</td><td>bool</td><td>1</td><td>Boolean / boolean[]</td></tr>
 * </table>
 *
 * Integer codes reject values out of their range (CPython's ctypes would silently truncate).
 */
public enum TypeCode {
    /** {@code 'b'}: signed char, 1 byte. */
    BYTE('b', 1, -128, 127),
    /** {@code 'B'}: unsigned char, 1 byte. */
    UNSIGNED_BYTE('B', 1, 0, 255),
    /** {@code 'h'}: short, 2 bytes. */
    SHORT('h', 2, Short.MIN_VALUE, Short.MAX_VALUE),
    /** {@code 'H'}: unsigned short, 2 bytes. */
    UNSIGNED_SHORT('H', 2, 0, 65535),
    /** {@code 'i'}: int, 4 bytes. */
    INT('i', 4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    /** {@code 'I'}: unsigned int, 4 bytes. */
    UNSIGNED_INT('I', 4, 0, 0xFFFF_FFFFL),
    /** {@code 'l'}: long, 8 bytes. */
    LONG('l', 8, Long.MIN_VALUE, Long.MAX_VALUE),
    /** {@code 'L'}: unsigned long, 8 bytes. */
    UNSIGNED_LONG('L', 8, Long.MIN_VALUE, Long.MAX_VALUE),
    /** {@code 'q'}: long long, 8 bytes. */
    LONG_LONG('q', 8, Long.MIN_VALUE, Long.MAX_VALUE),
    /** {@code 'Q'}: unsigned long long, 8 bytes. */
    UNSIGNED_LONG_LONG('Q', 8, Long.MIN_VALUE, Long.MAX_VALUE),
    /** {@code 'f'}: float, 4 bytes. */
    FLOAT('f', 4, 0, 0),
    /** {@code 'd'}: double, 8 bytes. */
    DOUBLE('d', 8, 0, 0),
    /** {@code 'c'}: char, one byte. */
    CHAR('c', 1, 0, 255),
    /** {@code '?'}: bool, 1 byte. */
    BOOLEAN('?', 1, 0, 1);

    static final VarHandle I8 = ValueLayout.JAVA_BYTE.varHandle();
    static final VarHandle I16 = ValueLayout.JAVA_SHORT.varHandle();
    static final VarHandle I32 = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle I64 = ValueLayout.JAVA_LONG.varHandle();
    static final VarHandle F32 = ValueLayout.JAVA_FLOAT.varHandle();
    static final VarHandle F64 = ValueLayout.JAVA_DOUBLE.varHandle();

    private final char code;
    private final int size;
    private final long min, max;

    TypeCode(char code, int size, long min, long max) {
        this.code = code;
        this.size = size;
        this.min = min;
        this.max = max;
    }

    /**
     * The Python type code.
     *
     * @return the code
     */
    public char code() { return code; }

    /**
     * Bytes per element.
     *
     * @return the size in bytes
     */
    public int size() { return size; }

    /**
     * Whether the code is {@code 'f'} or {@code 'd'}.
     *
     * @return whether it is floating point
     */
    public boolean isFloatingPoint() { return this == FLOAT || this == DOUBLE; }

    /**
     * Whether atomic {@code getAndAdd}/{@code compareAndSet} apply (the 4- and 8-byte integer codes).
     *
     * @return whether {@code getAndAdd} and {@code compareAndSet} work on it
     */
    public boolean isAtomicInteger() { return !isFloatingPoint() && (size == 4 || size == 8); }

    /**
     * The type code for {@code code}, e.g. {@code 'i'}.
     *
     * @param code a Python type code
     * @return its constant
     * @throws IllegalArgumentException for an unknown code
     */
    public static TypeCode of(char code) {
        for (TypeCode t : values()) if (t.code == code) return t;
        throw new IllegalArgumentException("unknown type code: typecode='" + code
                + "' (expected one of b B h H i I l L q Q f d c ?)");
    }

    // ------------------------------------------------------------------ reading (acquire)

    /** The value at {@code off} as its natural Java type (see the class table). */
    Object read(MemorySegment m, long off) {
        return switch (this) {
            case BYTE, CHAR -> (byte) I8.getAcquire(m, off);
            case UNSIGNED_BYTE -> (short) ((byte) I8.getAcquire(m, off) & 0xFF);
            case SHORT -> (short) I16.getAcquire(m, off);
            case UNSIGNED_SHORT -> (short) I16.getAcquire(m, off) & 0xFFFF;
            case INT -> (int) I32.getAcquire(m, off);
            case UNSIGNED_INT -> (int) I32.getAcquire(m, off) & 0xFFFF_FFFFL;
            case LONG, UNSIGNED_LONG, LONG_LONG, UNSIGNED_LONG_LONG -> (long) I64.getAcquire(m, off);
            case FLOAT -> (float) F32.getAcquire(m, off);
            case DOUBLE -> (double) F64.getAcquire(m, off);
            case BOOLEAN -> (byte) I8.getAcquire(m, off) != 0;
        };
    }

    long readLong(MemorySegment m, long off) {
        return switch (this) {
            case BYTE, CHAR -> (byte) I8.getAcquire(m, off);
            case UNSIGNED_BYTE -> (byte) I8.getAcquire(m, off) & 0xFF;
            case SHORT -> (short) I16.getAcquire(m, off);
            case UNSIGNED_SHORT -> (short) I16.getAcquire(m, off) & 0xFFFF;
            case INT -> (int) I32.getAcquire(m, off);
            case UNSIGNED_INT -> (int) I32.getAcquire(m, off) & 0xFFFF_FFFFL;
            case LONG, UNSIGNED_LONG, LONG_LONG, UNSIGNED_LONG_LONG -> (long) I64.getAcquire(m, off);
            case FLOAT -> (long) (float) F32.getAcquire(m, off);
            case DOUBLE -> (long) (double) F64.getAcquire(m, off);
            case BOOLEAN -> (byte) I8.getAcquire(m, off) != 0 ? 1 : 0;
        };
    }

    double readDouble(MemorySegment m, long off) {
        return switch (this) {
            case FLOAT -> (float) F32.getAcquire(m, off);
            case DOUBLE -> (double) F64.getAcquire(m, off);
            case UNSIGNED_LONG, UNSIGNED_LONG_LONG -> unsignedToDouble((long) I64.getAcquire(m, off));
            default -> readLong(m, off);
        };
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }

    // ------------------------------------------------------------------ writing (release)

    void writeLong(MemorySegment m, long off, long v) {
        switch (this) {
            case FLOAT -> F32.setRelease(m, off, (float) v);
            case DOUBLE -> F64.setRelease(m, off, (double) v);
            default -> writeBits(m, off, checkRange(v));
        }
    }

    void writeDouble(MemorySegment m, long off, double v) {
        switch (this) {
            case FLOAT -> F32.setRelease(m, off, (float) v);
            case DOUBLE -> F64.setRelease(m, off, v);
            default -> throw new IllegalArgumentException("type code '" + code + "' holds integers: value=" + v);
        }
    }

    /** Writes a boxed value: a Number, a Boolean (for '?'), a Character, a one-byte byte[] or String (for 'c'). */
    void write(MemorySegment m, long off, Object v) {
        switch (v) {
            case null -> throw new IllegalArgumentException("a shared value cannot be null: typecode='" + code + "'");
            case Boolean b when this == BOOLEAN -> I8.setRelease(m, off, (byte) (b ? 1 : 0));
            case Double d -> writeDouble(m, off, d);
            case Float f -> writeDouble(m, off, f);
            case Number n when isFloatingPoint() -> writeDouble(m, off, n.doubleValue());
            case Byte b when this == CHAR -> I8.setRelease(m, off, b);
            case Integer n -> writeLong(m, off, n);
            case Long n -> writeLong(m, off, n);
            case Short n -> writeLong(m, off, n);
            case Byte n -> writeLong(m, off, n);
            case java.math.BigInteger n when size == 8 && n.bitLength() <= 64 -> I64.setRelease(m, off, n.longValue());
            case Character c when this == CHAR -> writeLong(m, off, c);
            case byte[] b when this == CHAR && b.length == 1 -> I8.setRelease(m, off, b[0]);
            case String s when this == CHAR && s.length() == 1 -> writeLong(m, off, s.charAt(0));
            default -> throw new IllegalArgumentException("type code '" + code + "' cannot hold a "
                    + v.getClass().getSimpleName() + ": value=" + v);
        }
    }

    private long checkRange(long v) {
        if (this == BOOLEAN) {
            if (v != 0 && v != 1) throw new IllegalArgumentException("type code '?' holds 0/1 or a Boolean: value=" + v);
        } else if (size < 8 && (v < min || v > max)) {
            throw new IllegalArgumentException("value out of range for type code '" + code + "': value=" + v
                    + " (expected " + min + ".." + max + ")");
        }
        return v;
    }

    private void writeBits(MemorySegment m, long off, long v) {
        switch (size) {
            case 1 -> I8.setRelease(m, off, (byte) v);
            case 2 -> I16.setRelease(m, off, (short) v);
            case 4 -> I32.setRelease(m, off, (int) v);
            default -> I64.setRelease(m, off, v);
        }
    }

    // ------------------------------------------------------------------ a cell as one long (values kept outside shared memory)

    /**
     * {@code v} checked and converted as a shared value of this type stores it, returned as the cell's bytes read
     * as one {@code long} (the bits a cluster keeps for an element, decoded by {@link #valueOfBits}).
     *
     * @param v a number, char or boolean
     * @return the cell's bits
     * @throws IllegalArgumentException naming a value this type cannot hold
     */
    public long bitsOf(Object v) {
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        write(cell, 0, v);
        return (long) I64.get(cell, 0L);
    }

    /**
     * The cell bits of an integer (a float type converts it), range-checked as {@link #bitsOf}.
     *
     * @param v the integer
     * @return the cell's bits
     * @throws IllegalArgumentException naming a value this type cannot hold
     */
    public long bitsOfLong(long v) {
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        writeLong(cell, 0, v);
        return (long) I64.get(cell, 0L);
    }

    /**
     * The cell bits of a floating-point number.
     *
     * @param v the number
     * @return the cell's bits
     * @throws IllegalArgumentException for an integer type
     */
    public long bitsOfDouble(double v) {
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        writeDouble(cell, 0, v);
        return (long) I64.get(cell, 0L);
    }

    /**
     * The value of cell bits as its natural Java type (see the class table).
     *
     * @param bits the cell's bits
     * @return the value
     */
    public Object valueOfBits(long bits) { return read(cell(bits), 0); }

    /**
     * The value of cell bits as a long (Python's int()).
     *
     * @param bits the cell's bits
     * @return the value
     */
    public long longOfBits(long bits) { return readLong(cell(bits), 0); }

    /**
     * The value of cell bits as a double.
     *
     * @param bits the cell's bits
     * @return the value
     */
    public double doubleOfBits(long bits) { return readDouble(cell(bits), 0); }

    /**
     * The bits after adding {@code delta} to the cell {@code bits}, wrapping as an atomic add in shared memory does.
     *
     * @param bits the cell's bits
     * @param delta what to add
     * @return the new bits
     * @throws UnsupportedOperationException for a type code that is not an integer of 4 or 8 bytes
     */
    public long addToBits(long bits, long delta) {
        checkAtomic();
        MemorySegment cell = cell(bits);
        if (size == 4) I32.set(cell, 0L, (int) I32.get(cell, 0L) + (int) delta);
        else I64.set(cell, 0L, (long) I64.get(cell, 0L) + delta);
        return (long) I64.get(cell, 0L);
    }

    /**
     * The cell bits an atomic compare-and-set compares against {@code v} (the update is range-checked).
     *
     * @param v the expected value or the update
     * @param update whether {@code v} is the update (then range-checked)
     * @return the cell's bits
     * @throws UnsupportedOperationException for a type code that is not an integer of 4 or 8 bytes
     * @throws IllegalArgumentException for an update this type cannot hold
     */
    public long atomicBits(long v, boolean update) {
        checkAtomic();
        if (update && size == 4) checkRange(v);
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        writeBits(cell, 0, v);
        return (long) I64.get(cell, 0L);
    }

    private static MemorySegment cell(long bits) {
        MemorySegment cell = MemorySegment.ofArray(new long[1]);
        I64.set(cell, 0L, bits);
        return cell;
    }

    // ------------------------------------------------------------------ atomics (integer cells of 4 or 8 bytes)

    long getAndAdd(MemorySegment m, long off, long delta) {
        checkAtomic();
        if (size == 4) {
            int old = (int) I32.getAndAdd(m, off, (int) delta);
            return this == UNSIGNED_INT ? old & 0xFFFF_FFFFL : old;
        }
        return (long) I64.getAndAdd(m, off, delta);
    }

    boolean compareAndSet(MemorySegment m, long off, long expected, long update) {
        checkAtomic();
        if (size == 4) {
            checkRange(update);
            return I32.compareAndSet(m, off, (int) expected, (int) update);
        }
        return I64.compareAndSet(m, off, expected, update);
    }

    private void checkAtomic() {
        if (!isAtomicInteger()) {
            throw new UnsupportedOperationException("atomic operations need an integer type code of 4 or 8 bytes"
                    + " (i I l L q Q): typecode='" + code + "'");
        }
    }

    /** A zeroed array of the natural type, {@code n} long. */
    Object newArray(int n) {
        return switch (this) {
            case BYTE, CHAR -> new byte[n];
            case UNSIGNED_BYTE, SHORT -> new short[n];
            case UNSIGNED_SHORT, INT -> new int[n];
            case UNSIGNED_INT, LONG, UNSIGNED_LONG, LONG_LONG, UNSIGNED_LONG_LONG -> new long[n];
            case FLOAT -> new float[n];
            case DOUBLE -> new double[n];
            case BOOLEAN -> new boolean[n];
        };
    }
}
