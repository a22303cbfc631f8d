package io.mp4j.managers;

import io.mp4j.ipc.shm.TypeCode;
import io.mp4j.managers.DataServants.Array;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A fixed-length array that lives in a manager (Python's {@code manager.Array(typecode, sequence)}): Python's
 * {@code a[i]} is {@link #get(int)}, {@code a[i] = x} is {@link #set(int, Object)}, {@code len(a)} is
 * {@link #length()}, {@code a[:]} is {@link #toList()}. It holds what its type code says ({@link TypeCode}'s
 * table): {@code set} converts a number to it or refuses it, in the caller. Each call is atomic.
 */
public final class ArrayProxy extends BaseProxy {
    private final TypeCode typecode;

    ArrayProxy(Token token) {
        super(token);
        typecode = TypeCode.of(token.types().getFirst().charAt(0));
    }

    /**
     * The type code the array was made with.
     *
     * @return the type code
     */
    public TypeCode typecode() { return typecode; }

    /**
     * The number of elements (fixed when it was made).
     *
     * @return the number of elements
     */
    public int length() { return client().call(id(), Array.LENGTH, ManagerClient.Args.NONE, WireBuffer::readInt); }

    /**
     * Element {@code i}, as its type code's Java type.
     *
     * @throws IndexOutOfBoundsException for an index outside the array
     * @param i the index, 0 to length-1
     * @return the element at {@code i}
     */
    public Object get(int i) { return client().call(id(), Array.GET, out -> out.writeInt(i), in -> Wire.readBlob(in, Object.class)); }

    /**
     * Element {@code i} as an {@code int}.
     *
     * @param i the index, 0 to length-1
     * @return the element at {@code i} as an {@code int}
     */
    public int getInt(int i) { return ((Number) get(i)).intValue(); }

    /**
     * Element {@code i} as a {@code long}.
     *
     * @param i the index, 0 to length-1
     * @return the element at {@code i} as a {@code long}
     */
    public long getLong(int i) { return ((Number) get(i)).longValue(); }

    /**
     * Element {@code i} as a {@code double}.
     *
     * @param i the index, 0 to length-1
     * @return the element at {@code i} as a {@code double}
     */
    public double getDouble(int i) { return ((Number) get(i)).doubleValue(); }

    /**
     * Sets element {@code i}.
     *
     * @throws IllegalArgumentException when the type code cannot hold the value
     * @throws IndexOutOfBoundsException for an index outside the array
     * @param i the index, 0 to length-1
     * @param value the new value, in the type code's range
     */
    public void set(int i, Object value) {
        Object v = TypeCodes.convert(typecode, value);
        client().call(id(), Array.SET, out -> {
            out.writeInt(i);
            Wire.writeBlob(out, v);
        }, ManagerClient.Answer.NONE);
    }

    /**
     * Every element, in one request.
     *
     * @return a copy of the elements
     */
    public List<Object> toList() {
        return client().call(id(), Array.ALL, ManagerClient.Args.NONE, in -> {
            int n = in.readInt();
            List<Object> l = new ArrayList<>(n);
            for (int k = 0; k < n; k++) l.add(Wire.readBlob(in, Object.class));
            return l;
        });
    }

    /** {@code array('i', [1, 2, 3])}, as Python prints an array. */
    @Override public String toString() { return "array('" + typecode.code() + "', " + toList() + ")"; }
}
