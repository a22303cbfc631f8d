package io.mp4j.ipc.shm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Python's {@code multiprocessing.shared_memory.ShareableList}: a fixed-length list of numbers, booleans,
 * strings, byte arrays and nulls in one {@link SharedMemory} block, read and written in place by every
 * process that has it (passed as an argument, where it travels as a handle, or opened by its block's name).
 * <pre>{@code
 * ShareableList sl = ctx.shareableList(List.of(1, 2.5, "three", true));
 * // in a child:  ShareableList same = ctx.shareableList(sl.shm().name());  same.set(0, 10L);
 * long first = (Long) sl.get(0);
 * sl.shm().close();
 * sl.shm().unlink();
 * }</pre>
 *
 * <p><b>Items.</b> As in Python: integers ({@code Integer}, {@code Long}, {@code Short}, {@code Byte}; stored as
 * 64-bit, read back as {@code Long}), floating point ({@code Float}, {@code Double}; read back as {@code Double}),
 * {@code Boolean}, {@code String} (UTF-8), {@code byte[]} (read back as a copy) and {@code null}. The length is
 * fixed, and so is each item's storage, set at creation: 8 bytes for a number, a boolean or null, and for a string
 * or a byte array its length in bytes rounded up to the next multiple of 8 (8 more when already a multiple, as
 * Python). {@link #set} may change an item's type, within that storage; a string or byte array that does not fit
 * fails with an {@link IllegalArgumentException} naming both lengths, and nothing is written. Unlike Python's, a
 * string or byte array keeps its trailing zero bytes (its length is stored).
 *
 * <p><b>Visibility.</b> Not synchronized, like Python's: a reader in another process may see an item half-written
 * by a concurrent {@link #set} of a string, a byte array, or of another type; guard items written concurrently with
 * a {@code Lock}. A number, boolean or null written by one process alone is read whole. {@code add}, {@code remove}
 * and every other size-changing method throw {@link UnsupportedOperationException}.
 *
 * <pre>
 *   layout of the block's bytes (native order)
 *   0         int  magic 'MPSL' (written last)
 *   4         int  count
 *   8         long data length
 *   16        count x 16 bytes: int type (0 null, 1 int, 2 float, 3 bool, 4 str, 5 bytes), int capacity,
 *                               int length (str and bytes), int reserved
 *   16+16n    the items' storage, one after another, each 8-byte aligned
 * </pre>
 */
public final class ShareableList extends AbstractList<Object> implements RandomAccess, Shareable, AutoCloseable {
    static final int MAGIC = 0x4C53504D; // "MPSL" little-endian
    static final long COUNT = 4, DATA_LENGTH = 8, SLOTS = 16, SLOT_SIZE = 16;
    static final int NONE = 0, INT = 1, FLOAT = 2, BOOL = 3, STR = 4, BYTES = 5;
    private static final VarHandle INT_H = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG_H = ValueLayout.JAVA_LONG.varHandle();

    private final SharedMemory shm;
    private final MemorySegment m;
    private final int size;
    /** Where each item's storage begins, computed once from the capacities. */
    private final long[] offsets;

    private ShareableList(SharedMemory shm) {
        this.shm = shm;
        this.m = shm.buf();
        if (m.byteSize() < SLOTS || (int) INT_H.getAcquire(m, 0L) != MAGIC) {
            throw new IllegalArgumentException("not a shareable list: the block " + shm.name() + " holds no list (magic="
                    + (m.byteSize() >= 4 ? Integer.toHexString((int) INT_H.getAcquire(m, 0L)) : "none") + ")");
        }
        this.size = (int) INT_H.get(m, COUNT);
        this.offsets = new long[size];
        long off = SLOTS + size * SLOT_SIZE;
        for (int i = 0; i < size; i++) {
            offsets[i] = off;
            off += capacity(i);
        }
        if (off > m.byteSize()) throw new IllegalArgumentException("corrupt shareable list in block " + shm.name() + ": needs " + off + " bytes, has " + m.byteSize());
    }

    /**
     * Makes a list of {@code values} in a new block, created as {@link SharedMemory#open} does with {@code create} true.
     *
     * @param dir    where the block is made (the context's private directory)
     * @param name   the block's name, or null for a fresh one
     * @param values the items, in order
     * @return the new list, as long as {@code values}
     * @throws IllegalArgumentException for a value of a type a shareable list cannot hold (naming its index and type),
     *                                  or a block name that exists
     */
    public static ShareableList create(Path dir, String name, List<?> values) {
        Objects.requireNonNull(values, "values");
        int n = values.size();
        int[] types = new int[n];
        byte[][] bytes = new byte[n][];
        long data = 0;
        for (int i = 0; i < n; i++) {
            Object v = values.get(i);
            types[i] = typeOf(v, i);
            bytes[i] = bytesOf(v);
            data += bytes[i] == null ? 8 : storageFor(bytes[i].length);
        }
        SharedMemory shm;
        try {
            shm = SharedMemory.open(dir, List.of(), name, true, SLOTS + n * SLOT_SIZE + Math.max(data, 8));
        } catch (NoSuchFileException e) {
            throw new AssertionError("creating never looks a name up", e);
        }
        MemorySegment m = shm.buf();
        INT_H.set(m, COUNT, n);
        LONG_H.set(m, DATA_LENGTH, data);
        long off = SLOTS + n * SLOT_SIZE;
        for (int i = 0; i < n; i++) {
            long slot = SLOTS + i * SLOT_SIZE;
            int cap = bytes[i] == null ? 8 : storageFor(bytes[i].length);
            INT_H.set(m, slot + 4, cap);
            write(m, slot, off, types[i], values.get(i), bytes[i]);
            off += cap;
        }
        INT_H.setRelease(m, 0L, MAGIC);
        return new ShareableList(shm);
    }

    /**
     * The list held by an existing block (Python's {@code ShareableList(name=...)}; contexts look the block up by name).
     *
     * @param shm the block
     * @return the list it holds
     * @throws IllegalArgumentException when the block holds no shareable list
     */
    public static ShareableList of(SharedMemory shm) { return new ShareableList(Objects.requireNonNull(shm, "shm")); }

    /**
     * Re-attaches a list in another process from its block's handle (used by the codec).
     *
     * @param h the block's handle
     * @return the list
     */
    @JsonCreator
    public static ShareableList attach(SharedMemory.Handle h) { return new ShareableList(SharedMemory.attach(h)); }

    /**
     * The handle this list travels as: its block's.
     *
     * @return the block's handle
     */
    @JsonValue
    public SharedMemory.Handle handle() { return shm.handle(); }

    /**
     * Python's {@code shm}: the block holding the list (close and unlink it as any block).
     *
     * @return the block
     */
    public SharedMemory shm() { return shm; }

    @Override
    public int size() { return size; }

    /**
     * The item at {@code index}: a {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]} (a copy)
     * or {@code null}.
     */
    @Override
    public Object get(int index) {
        long slot = slot(index);
        int type = (int) INT_H.getAcquire(m, slot);
        long off = offsets[index];
        return switch (type) {
            case NONE -> null;
            case INT -> (long) LONG_H.getOpaque(m, off);
            case FLOAT -> Double.longBitsToDouble((long) LONG_H.getOpaque(m, off));
            case BOOL -> (long) LONG_H.getOpaque(m, off) != 0;
            case STR -> new String(read(slot, off), StandardCharsets.UTF_8);
            case BYTES -> read(slot, off);
            default -> throw new IllegalStateException("corrupt shareable list item: index=" + index + " type=" + type);
        };
    }

    /**
     * Replaces the item at {@code index} (Python's {@code sl[index] = value}); returns the previous one.
     *
     * @throws IllegalArgumentException when the value's type cannot be held, or a string or byte array exceeds the
     *                                  item's storage (nothing is written)
     */
    @Override
    public Object set(int index, Object value) {
        long slot = slot(index);
        int type = typeOf(value, index);
        byte[] b = bytesOf(value);
        int cap = capacity(index);
        if (b != null && b.length > cap) {
            throw new IllegalArgumentException("item exceeds available storage: index=" + index + " length=" + b.length
                    + " bytes, capacity=" + cap + " bytes");
        }
        Object previous = get(index);
        write(m, slot, offsets[index], type, value, b);
        return previous;
    }

    /**
     * Python's {@code count(value)}: how many items equal {@code value} (byte arrays by content).
     *
     * @param value the value to count
     * @return how many items equal it
     */
    public int count(Object value) {
        int c = 0;
        for (int i = 0; i < size; i++) if (same(get(i), value)) c++;
        return c;
    }

    /** Python's {@code index(value)} as a {@code List}: the first index holding {@code value}, or -1. */
    @Override
    public int indexOf(Object value) {
        for (int i = 0; i < size; i++) if (same(get(i), value)) return i;
        return -1;
    }

    @Override
    public int lastIndexOf(Object value) {
        for (int i = size - 1; i >= 0; i--) if (same(get(i), value)) return i;
        return -1;
    }

    @Override
    public boolean contains(Object value) { return indexOf(value) >= 0; }

    /**
     * Python's {@code format}: the items' {@code struct} format, e.g. {@code "qd8s"} ({@code q} integer, {@code d}
     * float, {@code xxxxxxx?} boolean, {@code xxxxxx?x} null, {@code <capacity>s} string or bytes).
     *
     * @return the format
     */
    public String format() {
        StringBuilder f = new StringBuilder();
        for (int i = 0; i < size; i++) {
            f.append(switch ((int) INT_H.getAcquire(m, slot(i))) {
                case INT -> "q";
                case FLOAT -> "d";
                case BOOL -> "xxxxxxx?";
                case NONE -> "xxxxxx?x";
                default -> capacity(i) + "s";
            });
        }
        return f.toString();
    }

    /** Unmaps the block in this process (it stays for the others; unlink it with {@code shm().unlink()}). */
    @Override
    public void close() { shm.close(); }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ShareableList([");
        for (int i = 0; i < size; i++) {
            Object v = get(i);
            if (i > 0) s.append(", ");
            s.append(v instanceof String str ? "'" + str + "'" : v instanceof byte[] b ? "b" + Arrays.toString(b) : v);
        }
        return s.append("], name='").append(shm.name()).append("')").toString();
    }

    // ------------------------------------------------------------------ encoding

    private long slot(int index) {
        Objects.checkIndex(index, size);
        return SLOTS + index * SLOT_SIZE;
    }

    private int capacity(int index) { return (int) INT_H.get(m, SLOTS + index * SLOT_SIZE + 4); }

    private byte[] read(long slot, long off) {
        int len = Math.clamp((int) INT_H.getOpaque(m, slot + 8), 0, (int) INT_H.get(m, slot + 4));
        return m.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Writes the value's bytes or number, then its type with release (Python's order: the format last). */
    private static void write(MemorySegment m, long slot, long off, int type, Object v, byte[] b) {
        switch (type) {
            case INT -> LONG_H.setOpaque(m, off, ((Number) v).longValue());
            case FLOAT -> LONG_H.setOpaque(m, off, Double.doubleToRawLongBits(((Number) v).doubleValue()));
            case BOOL -> LONG_H.setOpaque(m, off, (Boolean) v ? 1L : 0L);
            case STR, BYTES -> {
                MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, off, b.length);
                INT_H.setOpaque(m, slot + 8, b.length);
            }
            default -> LONG_H.setOpaque(m, off, 0L);
        }
        INT_H.setRelease(m, slot, type);
    }

    private static int typeOf(Object v, int index) {
        if (v == null) return NONE;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) return INT;
        if (v instanceof Double || v instanceof Float) return FLOAT;
        if (v instanceof Boolean) return BOOL;
        if (v instanceof String) return STR;
        if (v instanceof byte[]) return BYTES;
        throw new IllegalArgumentException("a shareable list holds integers, floats, booleans, strings, byte arrays and nulls: index="
                + index + " type=" + v.getClass().getName());
    }

    private static byte[] bytesOf(Object v) {
        if (v instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        if (v instanceof byte[] b) return b;
        return null;
    }

    /** A string's or byte array's storage: its length rounded up to the next multiple of 8, as Python allocates. */
    private static int storageFor(int length) { return 8 * (length / 8 + 1); }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) return Arrays.equals(x, y);
        if (a instanceof Long x && b instanceof Number y && (b instanceof Integer || b instanceof Short || b instanceof Byte)) {
            return x == y.longValue();
        }
        if (a instanceof Double x && b instanceof Float y) return x == y.doubleValue();
        return Objects.equals(a, b);
    }
}
