package io.mp4j.shared;

import io.mp4j.ipc.shm.TypeCode;

import java.util.List;

/**
 * Python's {@code Array}: a fixed-length array of numbers shared by processes, of a type code. Each element's read
 * and write is atomic; a read-modify-write of several calls needs the array's lock ({@link #getLock()}). An index
 * out of range throws {@link IndexOutOfBoundsException} naming it.
 */
public interface MpArray {
    TypeCode typecode();

    int length();

    /** Its lock (Python's {@code get_lock()}). @throws IllegalStateException when it was made without one */
    MpLock getLock();

    boolean hasLock();

    Object get(int i);

    int getInt(int i);

    long getLong(int i);

    double getDouble(int i);

    boolean getBoolean(int i);

    void set(int i, Object v);

    void set(int i, long v);

    void set(int i, double v);

    void set(int i, boolean v);

    /** Adds {@code delta} to element {@code i} atomically (integer type codes); returns the previous value. */
    long getAndAdd(int i, long delta);

    /** Sets element {@code i} to {@code update} atomically if it is {@code expected} (integer type codes). */
    boolean compareAndSet(int i, long expected, long update);

    /** The elements as boxed values (Python's {@code arr[:]}). */
    List<Object> toList();

    int[] toIntArray();

    long[] toLongArray();

    double[] toDoubleArray();
}
