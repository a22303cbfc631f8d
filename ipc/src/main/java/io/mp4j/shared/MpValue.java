package io.mp4j.shared;

import io.mp4j.ipc.shm.TypeCode;

/**
 * Python's {@code Value}: one number (or char, or boolean) shared by processes, of a type code
 * ({@code b B h H i I l L q Q f d c ?}). Reads and writes are atomic; {@link #getAndAdd} and
 * {@link #compareAndSet} too. A read-modify-write of several calls needs the value's lock ({@link #getLock()}).
 */
public interface MpValue {
    /**
     * Its type code.
     *
     * @return the type code
     */
    TypeCode typecode();

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
     * The value as its boxed type ({@code Integer} for 'i', {@code Double} for 'd', ...).
     *
     * @return the value
     */
    Object get();

    /**
     * The value as an int.
     *
     * @return the value
     */
    int getInt();

    /**
     * The value as a long.
     *
     * @return the value
     */
    long getLong();

    /**
     * The value as a double.
     *
     * @return the value
     */
    double getDouble();

    /**
     * The value as a boolean.
     *
     * @return the value
     */
    boolean getBoolean();

    /**
     * Sets it from a number, char or boolean that fits its type; visible to every process at once.
     *
     * @param v the new value
     * @throws IllegalArgumentException naming what does not fit
     */
    void set(Object v);

    /**
     * Sets it from a long that fits its type.
     *
     * @param v the new value
     * @throws IllegalArgumentException naming what does not fit
     */
    void set(long v);

    /**
     * Sets it from a double that fits its type.
     *
     * @param v the new value
     * @throws IllegalArgumentException naming what does not fit
     */
    void set(double v);

    /**
     * Sets it from a boolean.
     *
     * @param v the new value
     * @throws IllegalArgumentException when the type code is not a boolean's
     */
    void set(boolean v);

    /**
     * Adds {@code delta} atomically (integer type codes).
     *
     * @param delta what to add
     * @return the previous value
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    long getAndAdd(long delta);

    /**
     * Sets {@code update} atomically if the value is {@code expected} (integer type codes).
     *
     * @param expected the value it must have
     * @param update the value it gets
     * @return whether it was set
     * @throws UnsupportedOperationException for a floating-point or narrower type code
     */
    boolean compareAndSet(long expected, long update);
}
