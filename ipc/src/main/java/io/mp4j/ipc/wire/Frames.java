package io.mp4j.ipc.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The one frame format of the library's byte streams (a child's standard input, the fork server's): a 4-byte
 * big-endian length, then that many bytes, as a {@code multiprocessing.connection} message of less than 2 GiB.
 * {@code ipc.connection}'s connections send the same frames over their sockets with their own, allocation-free
 * reader and writer; the pool's messages travel as records of its work queue ({@code ipc.ring}).
 */
public final class Frames {
    private Frames() {}

    /**
     * Writes {@code payload[off .. off+len)} as one frame and flushes.
     *
     * @param out where it goes
     * @param payload the bytes
     * @param off the first byte
     * @param len how many
     * @throws IOException when {@code out} fails
     */
    public static void write(OutputStream out, byte[] payload, int off, int len) throws IOException {
        byte[] header = {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
        out.write(header);
        out.write(payload, off, len);
        out.flush();
    }

    /**
     * Writes {@code payload} as one frame and flushes.
     *
     * @param out where it goes
     * @param payload the bytes
     * @throws IOException when {@code out} fails
     */
    public static void write(OutputStream out, byte[] payload) throws IOException { write(out, payload, 0, payload.length); }

    /**
     * Reads one frame of at most {@code max} bytes.
     *
     * @param in where it comes from
     * @param max the longest frame accepted
     * @return the frame's payload
     * @throws EOFException when the stream ends before a whole frame
     * @throws IOException  when the frame is longer than {@code max} (a stream that speaks another protocol)
     */
    public static byte[] read(InputStream in, int max) throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) throw new EOFException("the stream ended before a frame's length (" + header.length + " of 4 bytes)");
        byte[] b = new byte[length(header, max)];
        int n = in.readNBytes(b, 0, b.length);
        if (n < b.length) throw new EOFException("the stream ended inside a frame (" + n + " of " + b.length + " bytes)");
        return b;
    }

    /**
     * Reads one frame of at most {@code max} bytes from a channel.
     *
     * @param ch where it comes from
     * @param max the longest frame accepted
     * @return the frame, or null when the channel ends before a frame starts
     * @throws EOFException when it ends inside a frame
     */
    public static byte[] read(ReadableByteChannel ch, int max) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4);
        if (!fill(ch, header)) {
            if (header.position() == 0) return null;
            throw new EOFException("the stream ended before a frame's length (" + header.position() + " of 4 bytes)");
        }
        ByteBuffer body = ByteBuffer.allocate(length(header.array(), max));
        if (!fill(ch, body)) throw new EOFException("the stream ended inside a frame (" + body.position() + " of " + body.capacity() + " bytes)");
        return body.array();
    }

    private static int length(byte[] header, int max) throws IOException {
        int n = (header[0] & 0xff) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8 | header[3] & 0xff;
        if (n < 0 || n > max) throw new IOException("frame of " + n + " bytes: expected 0 to " + max);
        return n;
    }

    private static boolean fill(ReadableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) if (ch.read(b) < 0) return false;
        return true;
    }
}
