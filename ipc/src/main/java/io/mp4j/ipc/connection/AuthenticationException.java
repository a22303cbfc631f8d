package io.mp4j.ipc.connection;

import java.io.IOException;

/**
 * The peer did not prove that it knows the authentication key, or refused the proof this side gave
 * (Python's {@code multiprocessing.AuthenticationError}). The connection is closed.
 */
public class AuthenticationException extends IOException {
    /**
     * An exception naming why the peer was refused.
     *
     * @param message why
     */
    public AuthenticationException(String message) { super(message); }

    /**
     * An exception naming why the peer was refused, with the failure behind it.
     *
     * @param message why
     * @param cause the failure
     */
    public AuthenticationException(String message, Throwable cause) { super(message, cause); }
}
