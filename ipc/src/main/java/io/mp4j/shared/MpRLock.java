package io.mp4j.shared;

/**
 * Python's {@code RLock}: a reentrant lock shared by processes. The thread that holds it may acquire it again and
 * must release it as many times; only the holder may release it ({@link IllegalMonitorStateException} or
 * {@link IllegalStateException} otherwise). See {@link MpLock} for visibility and interrupts.
 */
public interface MpRLock extends MpLock {
    /** Whether the calling thread holds the lock. */
    boolean isHeldByCurrentThread();

    /** How many times the calling thread holds the lock (0 when it does not). */
    int getHoldCount();
}
