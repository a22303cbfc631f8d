package io.mp4j.shared;

import io.mp4j.ipc.shm.TypeCode;

import java.util.List;

/**
 * Python's {@code Array}: a fixed-length array of numbers shared by processes, of a type code. Each element's read
 * and write is atomic; a read-modify-write of several calls needs the array's lock ({@link #getLock()}). An index
 * out of range throws {@link IndexOutOfBoundsException} naming it.
 */
public interface MpArray {
    /**
     * Its elements' type code.
     *
     * @return the type code
     */
    TypeCode typecode();

    /**
     * The number of elements (Python's {@code len(arr)}).
     *
     * @return the length
     */
    int length();

    /**
     * Its lock (Python's {@code get_lock()}).
     *
     * @return the lock that guards compound updates
     * @throws IllegalStateException when it was made without one
     */
    MpLock getLock();

    /**
     * Whether it was made with a lock.
     *
     * @return whether {@link #getLock()} has one to give
     */
    boolean hasLock();

    /**
     * Element {@code i} as its boxed type ({@code Integer} for 'i', {@code Double} for 'd', ...).
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    Object get(int i);

    /**
     * Element {@code i} as an int.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    int getInt(int i);

    /**
     * Element {@code i} as a long.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    long getLong(int i);

    /**
     * Element {@code i} as a double.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    double getDouble(int i);

    /**
     * Element {@code i} as a boolean.
     *
     * @param i the index
     * @return the element
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    boolean getBoolean(int i);

    /**
     * Sets element {@code i} from a number, char or boolean that fits its type; visible to every process at once.
     *
     * @param i the index
     * @param v the new value
     * @throws IllegalArgumentException naming what does not fit
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    void set(int i, Object v);

    /**
     * Sets element {@code i} from a long that fits its type.
     *
     * @param i the index
     * @param v the new value
     * @throws IllegalArgumentException naming what does not fit
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    void set(int i, long v);

    /**
     * Sets element {@code i} from a double that fits its type.
     *
     * @param i the index
     * @param v the new value
     * @throws IllegalArgumentException naming what does not fit
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    void set(int i, double v);

    /**
     * Sets element {@code i} from a boolean.
     *
     * @param i the index
     * @param v the new value
     * @throws IllegalArgumentException when the type code is not a boolean's
     * @throws IndexOutOfBoundsException for an index outside the array
     */
    void set(int i, boolean v);

    /**
     * Adds {@code delta} to element {@code i} atomically (integer type codes).
     *
     * @param i the index
     * @param delta what to add
     * @return the previous value
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    long getAndAdd(int i, long delta);

    /**
     * Sets element {@code i} to {@code update} atomically if it is {@code expected} (integer type codes).
     *
     * @param i the index
     * @param expected the value it must have
     * @param update the value it gets
     * @return whether it was set
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    boolean compareAndSet(int i, long expected, long update);

    /**
     * The elements as boxed values (Python's {@code arr[:]}), a copy.
     *
     * @return the elements
     */
    List<Object> toList();

    /**
     * The elements as ints, a copy.
     *
     * @return the elements
     */
    int[] toIntArray();

    /**
     * The elements as longs, a copy.
     *
     * @return the elements
     */
    long[] toLongArray();

    /**
     * The elements as doubles, a copy.
     *
     * @return the elements
     */
    double[] toDoubleArray();
}
