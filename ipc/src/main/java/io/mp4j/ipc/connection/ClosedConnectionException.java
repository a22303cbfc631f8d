package io.mp4j.ipc.connection;

import java.io.IOException;

/** An operation on a connection (or listener) that this process has closed. */
public class ClosedConnectionException extends IOException {
    /** An exception saying the connection is closed. */
    public ClosedConnectionException() { super("the connection is closed"); }

    /**
     * An exception saying what was closed.
     *
     * @param message what was closed
     */
    public ClosedConnectionException(String message) { super(message); }
}
