package io.mp4j.shared;

import io.mp4j.ipc.shm.TypeCode;

/**
 * Python's {@code Value}: one number (or char, or boolean) shared by processes, of a type code
 * ({@code b B h H i I l L q Q f d c ?}). Reads and writes are atomic; {@link #getAndAdd} and
 * {@link #compareAndSet} too. A read-modify-write of several calls needs the value's lock ({@link #getLock()}).
 */
public interface MpValue {
    /** Its type code. */
    TypeCode typecode();

    /** Its lock (Python's {@code get_lock()}). @throws IllegalStateException when it was made without one */
    MpLock getLock();

    /** Whether it was made with a lock. */
    boolean hasLock();

    /** The value as its boxed type ({@code Integer} for 'i', {@code Double} for 'd', ...). */
    Object get();

    int getInt();

    long getLong();

    double getDouble();

    boolean getBoolean();

    /** Sets it from a number, char or boolean that fits its type. @throws IllegalArgumentException naming what does not fit */
    void set(Object v);

    void set(long v);

    void set(double v);

    void set(boolean v);

    /** Adds {@code delta} atomically (integer type codes); returns the previous value. */
    long getAndAdd(long delta);

    /** Sets {@code update} atomically if the value is {@code expected} (integer type codes). */
    boolean compareAndSet(long expected, long update);
}
