package io.mp4j.ipc.connection;

import java.io.IOException;

/**
 * The peer did not prove that it knows the authentication key, or refused the proof this side gave
 * (Python's {@code multiprocessing.AuthenticationError}). The connection is closed.
 */
public class AuthenticationException extends IOException {
    public AuthenticationException(String message) { super(message); }

    public AuthenticationException(String message, Throwable cause) { super(message, cause); }
}
