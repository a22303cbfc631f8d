package io.mp4j.ipc.connection;

import java.io.IOException;

/**
 * The next message is longer than the caller accepts ({@code recvBytes(maxLength)}) or than the buffer
 * given to {@code recvBytesInto}. The message is not consumed: the connection stays usable and the next
 * receive returns that same message (receive it with a larger limit, or close the connection).
 */
public class MessageTooLongException extends IOException {
    /** The length of the message that was refused. */
    private final long length;
    /** The most the caller accepted. */
    private final long limit;

    /**
     * An exception for a message of {@code length} bytes where at most {@code limit} were accepted.
     *
     * @param length the message's length
     * @param limit the most accepted
     */
    public MessageTooLongException(long length, long limit) {
        super("message too long: length=" + length + " bytes, limit=" + limit + " bytes (the message was left in the connection)");
        this.length = length;
        this.limit = limit;
    }

    /**
     * The length of the message that was refused.
     *
     * @return the length
     */
    public long length() { return length; }

    /**
     * The most the caller accepted.
     *
     * @return the limit
     */
    public long limit() { return limit; }
}
