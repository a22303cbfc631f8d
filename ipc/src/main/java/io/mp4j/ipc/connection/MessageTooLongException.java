package io.mp4j.ipc.connection;

import java.io.IOException;

/**
 * The next message is longer than the caller accepts ({@code recvBytes(maxLength)}) or than the buffer
 * given to {@code recvBytesInto}. The message is not consumed: the connection stays usable and the next
 * receive returns that same message (receive it with a larger limit, or close the connection).
 */
public class MessageTooLongException extends IOException {
    private final long length;
    private final long limit;

    public MessageTooLongException(long length, long limit) {
        super("message too long: length=" + length + " bytes, limit=" + limit + " bytes (the message was left in the connection)");
        this.length = length;
        this.limit = limit;
    }

    /** The length of the message that was refused. */
    public long length() { return length; }

    /** The most the caller accepted. */
    public long limit() { return limit; }
}
