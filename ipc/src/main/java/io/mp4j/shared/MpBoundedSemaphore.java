package io.mp4j.shared;

/**
 * Python's {@code BoundedSemaphore}: a {@link MpSemaphore} that refuses to be released above its initial value
 * ({@link IllegalStateException}, Python's {@code ValueError}).
 */
public interface MpBoundedSemaphore extends MpSemaphore {
    /**
     * The maximum value (the initial one): a release past it fails.
     *
     * @return the bound
     */
    int bound();
}
