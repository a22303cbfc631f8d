package io.mp4j;

/**
 * Stands for an exception thrown in a worker whose class could not be re-created in this process (no
 * usable constructor, or not on this class path): it carries the class name and message, the worker's
 * stack frames, and a {@link RemoteTraceback} as its cause.
 */
public final class RemoteError extends RuntimeException {
    private final String remoteClassName;

    public RemoteError(String remoteClassName, String message) {
        super(remoteClassName + (message == null ? "" : ": " + message));
        this.remoteClassName = remoteClassName;
    }

    /** The class of the exception in the worker. */
    public String remoteClassName() { return remoteClassName; }
}
