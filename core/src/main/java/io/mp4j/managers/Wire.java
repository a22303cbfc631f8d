package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * The manager protocol: one request frame, one reply frame, on an authenticated {@code Connection}.
 *
 * <pre>
 * request  byte op
 *            CALL     long objectId, short method, the method's arguments
 *            CREATE   string typeid, the type's creation arguments        (reply: long objectId)
 *            CANCEL   (no reply of its own: the waiting call answers CANCELLED, or its result if it won the race)
 *            SHUTDOWN (reply OK, then the server stops)
 *            PING
 *            CHANNEL  string path: a shared-memory channel's segment (ShmChannel), which the server maps and removes;
 *                     after its OK, requests and replies go through the channel, and only CANCEL and frames too
 *                     large for it go on the socket
 * reply    byte status
 *            OK        the method's answer
 *            ERROR     the exception chain (PoolMessages.writeError), re-thrown in the caller
 *            CANCELLED the call was given up after a CANCEL: nothing it would have done was done
 * </pre>
 *
 * <p>Values of the built-in types travel as <em>blobs</em>: {@code int length} then a {@link Codec} slot written
 * against {@code Object} (so that every process encodes a value the same way); length -1 is "absent" (a missing
 * key, an empty queue). The server keeps blobs as they came and never decodes them: equality in the server
 * (dict keys, {@code list.indexOf}) is equality of these encoded forms.
 */
final class Wire {
    static final byte CALL = 1, CREATE = 2, CANCEL = 3, SHUTDOWN = 4, PING = 5, CHANNEL = 6;
    static final byte OK = 0, ERROR = 1, CANCELLED = 2;
    static final int ABSENT = -1;

    /** A timeout meaning "no limit" on the wire; 0 means "do not block". */
    static final long FOREVER = -1;

    private Wire() {}

    /** Appends {@code value} as a blob. */
    static void writeBlob(WireBuffer out, Object value) throws IOException {
        int at = out.ensure(4);
        out.advance(4);
        Codec.writeSlot(out, value, Object.class);
        out.putInt(at, out.size() - at - 4);
    }

    /** Appends an encoded blob as it is ({@code null}: absent). */
    static void writeRaw(WireBuffer out, byte[] blob) {
        if (blob == null) { out.writeInt(ABSENT); return; }
        out.writeInt(blob.length);
        out.write(blob);
    }

    /** Reads an encoded blob as bytes ({@code null}: absent). */
    static byte[] readRaw(WireBuffer in) throws IOException {
        int n = in.readInt();
        if (n == ABSENT) return null;
        if (n < 0 || n > in.remaining()) throw new IOException("corrupt manager frame: blob length=" + n + ", remaining=" + in.remaining());
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** Reads {@code n} encoded blobs, {@code n} first. */
    static List<byte[]> readRawList(WireBuffer in) throws IOException {
        int n = in.readInt();
        List<byte[]> out = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) out.add(readRaw(in));
        return out;
    }

    /** Whether the next blob is absent; consumes its length only when it is. */
    static boolean absentNext(WireBuffer in) throws IOException {
        if (in.getInt(in.position()) != ABSENT) return false;
        in.readInt();
        return true;
    }

    /** Reads a blob and decodes it against {@code declared} (absent: {@code null}). */
    static Object readBlob(WireBuffer in, Type declared) throws IOException {
        int n = in.readInt();
        if (n == ABSENT) return null;
        int end = in.position() + n;
        Object v = Codec.readSlot(in, declared, loader());
        in.position(end);
        return v;
    }

    /** Decodes an encoded blob against {@code declared}. */
    static Object decode(byte[] blob, Type declared) throws IOException {
        return Codec.readSlot(new WireBuffer(blob, blob.length), declared, loader());
    }

    static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Wire.class.getClassLoader();
    }

    /** A nanosecond timeout as the wire carries it: negative: no limit. */
    static long nanos(long timeout, java.util.concurrent.TimeUnit unit) {
        if (timeout <= 0) return 0;
        long n = unit.toNanos(timeout);
        return n == Long.MAX_VALUE ? FOREVER : n;
    }
}
