package io.mp4j.managers;

/**
 * A semaphore that lives in a manager and refuses to go above its initial value (Python's
 * {@code manager.BoundedSemaphore(value)}): a {@link #release()} at the bound throws
 * {@link IllegalStateException}, which in Python is a {@code ValueError}.
 */
public final class BoundedSemaphoreProxy extends SemaphoreProxy {
    BoundedSemaphoreProxy(Token token) { super(token); }
}
