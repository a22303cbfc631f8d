package io.mp4j.ipc.connection;

import java.io.IOException;

/** An operation on a connection (or listener) that this process has closed. */
public class ClosedConnectionException extends IOException {
    public ClosedConnectionException() { super("the connection is closed"); }

    public ClosedConnectionException(String message) { super(message); }
}
