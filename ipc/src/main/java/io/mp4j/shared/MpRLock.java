package io.mp4j.shared;

/**
 * Python's {@code RLock}: a reentrant lock shared by processes. The thread that holds it may acquire it again and
 * must release it as many times; only the holder may release it ({@link IllegalMonitorStateException} or
 * {@link IllegalStateException} otherwise). See {@link MpLock} for visibility and interrupts.
 */
public interface MpRLock extends MpLock {
    /**
     * Whether the calling thread holds the lock.
     *
     * @return whether it does
     */
    boolean isHeldByCurrentThread();

    /**
     * How many times the calling thread holds the lock.
     *
     * @return the hold count, 0 when it does not hold it
     */
    int getHoldCount();
}
