package io.mp4j.shared;

import java.util.concurrent.TimeUnit;

/**
 * Python's {@code Event}: a flag shared by processes; {@link #await()} waits until it is set. Interrupts: the
 * waits throw {@link InterruptedException}. Visibility: what a process wrote before {@link #set()} is visible to
 * a process whose wait returned because of it.
 */
public interface MpEvent {
    /** Python's {@code is_set()}. */
    boolean isSet();

    /** Sets the flag and wakes every waiter. */
    void set();

    /** Clears the flag. */
    void clear();

    /** Python's {@code wait()}: until the flag is set. */
    void await() throws InterruptedException;

    /** Python's {@code wait(timeout)}: returns the flag (false when the time ran out first). */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException;
}
