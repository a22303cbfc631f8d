package io.mp4j;

/**
 * Stands for an exception thrown in a worker whose class could not be re-created in this process (no
 * usable constructor, or not on this class path): it carries the class name and message, the worker's
 * stack frames, and a {@link RemoteTraceback} as its cause.
 */
public final class RemoteError extends RuntimeException {
    /** The class of the exception in the worker. */
    private final String remoteClassName;

    /**
     * An exception standing for a worker's exception of class {@code remoteClassName}.
     *
     * @param remoteClassName its class's name
     * @param message its message, or null
     */
    public RemoteError(String remoteClassName, String message) {
        super(remoteClassName + (message == null ? "" : ": " + message));
        this.remoteClassName = remoteClassName;
    }

    /**
     * The class of the exception in the worker.
     *
     * @return the class's name
     */
    public String remoteClassName() { return remoteClassName; }
}
