package io.mp4j.ipc.codec;

/** A value could not be encoded or decoded; the message names the value, its type and why. */
public class CodecException extends RuntimeException {
    /**
     * An exception naming what cannot be encoded or decoded.
     *
     * @param message what, and why
     */
    public CodecException(String message) { super(message); }
    /**
     * An exception naming what cannot be encoded or decoded, with the failure behind it.
     *
     * @param message what, and why
     * @param cause the failure
     */
    public CodecException(String message, Throwable cause) { super(message, cause); }
}
