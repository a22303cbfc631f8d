package io.mp4j.ipc.codec;

/** A value could not be encoded or decoded; the message names the value, its type and why. */
public class CodecException extends RuntimeException {
    public CodecException(String message) { super(message); }
    public CodecException(String message, Throwable cause) { super(message, cause); }
}
