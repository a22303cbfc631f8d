package io.mp4j.shared;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Event}: a flag shared by processes; {@link #await()} waits until it is set. Interrupts: the
 * waits throw {@link InterruptedException}. Visibility: what a process wrote before {@link #set()} is visible to
 * a process whose wait returned because of it.
 */
public interface MpEvent {
    /**
     * Python's {@code is_set()}.
     *
     * @return whether the flag is set
     */
    boolean isSet();

    /** Sets the flag and wakes every waiter, in every process. */
    void set();

    /** Clears the flag. */
    void clear();

    /**
     * Python's {@code wait()}: until the flag is set.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void await() throws InterruptedException;

    /**
     * Python's {@code wait(timeout)}.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return the flag (false when the time ran out first)
     * @throws InterruptedException if interrupted while waiting
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
