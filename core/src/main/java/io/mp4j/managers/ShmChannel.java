package io.mp4j.managers;

import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.sync.WaitStrategy;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A request/reply channel in shared memory beside one manager connection, for a proxy on the same machine as its
 * server: a call is a copy into the segment, a sequence number and a futex instead of a socket round trip. The
 * connection stays open beside it: it carried the handshake, it carries cancels ({@link Wire#CANCEL}) and the
 * frames that do not fit the segment, and its end is how either side learns that the other died.
 *
 * <p>Layout (payload offsets): {@code int request} (the sequence number of the last request) and its sleepers,
 * {@code int reply} (the number of the request last answered) and its sleepers, the request's and the reply's
 * lengths ({@code -1}: the frame is on the socket), a {@code closed} word the server sets when it stops, the number
 * of the request the server last took (so that a client whose server died knows whether it saw the request), then
 * {@value #CAPACITY} bytes that the request and then its reply occupy in turn. One call at a time, as on the
 * connection.
 *
 * <p>The client creates the segment in its manager socket's directory and names it in a {@link Wire#CHANNEL}
 * request; the server maps it and removes the file before it answers, so that nothing is left once both ends
 * unmap it, whatever becomes of either process.
 *
 * <p>Waiting: spin, then futex slices, after each of which the waiter looks at the {@code closed} word and, every
 * {@value #CHECK_MILLIS} ms for a client awaiting its reply and every {@link WaitStrategy#SLICE_NANOS} for an idle
 * server session, at the connection (an end of file: the peer died).
 */
final class ShmChannel implements AutoCloseable {
    /** Bytes of a frame that travel in the segment; larger ones go on the socket. */
    static final int CAPACITY = 64 * 1024 - 64;
    static final int CHECK_MILLIS = 10;
    private static final long CHECK_NANOS = CHECK_MILLIS * 1_000_000L;
    private static final long REQUEST = 0, REQUEST_SLEEPERS = 4, REPLY = 8, REPLY_SLEEPERS = 12, REQUEST_LENGTH = 16,
            REPLY_LENGTH = 20, CLOSED = 24, TAKEN = 28, DATA = 64;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Set to "socket" to keep every manager call on its socket (to compare the two transports). */
    static final boolean ENABLED = !"socket".equals(System.getenv("MP4J_MANAGER_CHANNEL"));

    private final Segment segment;
    private final MemorySegment m;
    /**
     * A short spin: the other side answers within a few microseconds when it runs, and when it does not (a loaded
     * machine), a long spin only takes the core it needs.
     */
    private final WaitStrategy waits = new WaitStrategy(256);
    /** The client's number of its last request; the server's number of the last request it took. */
    private int seq;

    private ShmChannel(Segment segment) {
        this.segment = segment;
        this.m = segment.payload();
    }

    /** A new channel's segment in {@code dir} (the client's side). */
    static ShmChannel create(Path dir) {
        io.mp4j.ipc.sync.Futex.linkAhead(); // both sides wait on it: link the futex calls now, not at the first wait
        return new ShmChannel(Segment.create(Segment.newPath(dir, "manager-channel"), SegmentDescriptor.KIND_RAW, DATA + CAPACITY, true));
    }

    /** Maps the client's segment and removes its file (the server's side). */
    static ShmChannel attach(Path path) throws IOException {
        io.mp4j.ipc.sync.Futex.linkAhead();
        Segment s = Segment.attach(path, true);
        try {
            Files.deleteIfExists(path);
            if (s.payloadLength() != DATA + CAPACITY) throw new IOException("not a manager channel: " + path + " holds " + s.payloadLength() + " bytes");
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return new ShmChannel(s);
    }

    Path path() { return segment.path(); }

    /** Removes the file, if the server did not (the client's side, after the {@code CHANNEL} request). */
    void unlink() { segment.unlink(); }

    @Override
    public void close() {
        try {
            segment.close();
        } catch (RuntimeException ignored) {
            // closed already, or a thread still inside it fails on its next access: the channel is over either way
        }
    }

    // ------------------------------------------------------------------ client

    /** Whether the server marked this channel closed (it stopped): a request would not be seen. */
    boolean closed() { return getInt(CLOSED) != 0; }

    /**
     * Publishes the request in {@code out}; true when it did not fit and must follow on the socket, which the caller
     * sends next (after the number, so that a large frame never waits for a server that is not reading yet).
     */
    boolean request(WireBuffer out) {
        int n = out.size();
        boolean spill = n > CAPACITY;
        if (!spill) MemorySegment.copy(out.array(), 0, m, ValueLayout.JAVA_BYTE, DATA, n);
        INT.setVolatile(m, REQUEST_LENGTH, spill ? -1 : n);
        INT.setVolatile(m, REQUEST, ++seq);
        WaitStrategy.wake(m, REQUEST, REQUEST_SLEEPERS, 1);
        return spill;
    }

    /** What ends a wait for a reply besides the reply: an interrupt, to be answered by the caller. */
    interface OnInterrupt {
        void interrupted() throws IOException;
    }

    /**
     * Waits for the answer to the last request and reads it into {@code in} (from the socket when it did not fit).
     * An interrupt meanwhile is handed to {@code onInterrupt} (which may send a cancel) and the wait goes on.
     *
     * @throws EOFException when the server ended (its socket closed) or stopped before it answered
     */
    WireBuffer reply(Connection conn, WireBuffer in, OnInterrupt onInterrupt) throws IOException {
        long checked = System.nanoTime();
        for (;;) {
            int v = getInt(REPLY);
            if (v == seq) break;
            try {
                waits.awaitChange(m, REPLY, REPLY_SLEEPERS, v, CHECK_NANOS, true);
            } catch (InterruptedException e) {
                onInterrupt.interrupted();
            }
            if (getInt(REPLY) == seq) break;
            try {
                if (closed()) throw new EOFException("the manager stopped");
                long now = System.nanoTime();
                if (now - checked >= CHECK_NANOS) {
                    checked = now;
                    if (conn.poll()) {
                        if (getInt(REPLY) == seq) break; // a reply too large for the segment, on the socket
                        conn.recvBytes(); // nothing else is sent to a waiting client: this is the end of file
                    }
                }
            } catch (IOException e) {
                if (getInt(TAKEN) != seq) throw new NotTaken(e);
                throw e;
            }
        }
        return read(conn, in, REPLY_LENGTH);
    }

    /** The server ended (or stopped) before it took the request: it did nothing of it. */
    static final class NotTaken extends EOFException {
        NotTaken(IOException cause) {
            super(cause.getMessage());
            initCause(cause);
        }
    }

    // ------------------------------------------------------------------ server

    /**
     * Waits for the next request and reads it into {@code in}; throws when the server stops ({@code stopping}) or the
     * client's connection ends. A late cancel on the socket (its call was answered already) is dropped.
     */
    WireBuffer nextRequest(Connection conn, WireBuffer in, java.util.function.BooleanSupplier stopping) throws IOException {
        long checked = System.nanoTime();
        for (;;) {
            int v = getInt(REQUEST);
            if (v != seq) {
                seq = v;
                INT.setVolatile(m, TAKEN, v);
                return read(conn, in, REQUEST_LENGTH);
            }
            try {
                waits.awaitChange(m, REQUEST, REQUEST_SLEEPERS, v, WaitStrategy.SLICE_NANOS, false);
            } catch (InterruptedException e) {
                throw new AssertionError("not interruptible", e);
            }
            if (getInt(REQUEST) != seq) continue;
            if (stopping.getAsBoolean() || closed()) throw new EOFException("the manager is stopping");
            long now = System.nanoTime();
            if (now - checked >= WaitStrategy.SLICE_NANOS) {
                checked = now;
                while (conn.poll()) {
                    if (getInt(REQUEST) != seq) break; // a request too large for the segment, on the socket
                    byte[] b = conn.recvBytes(); // an end of file throws: the client is gone
                    if (b.length != 1 || b[0] != Wire.CANCEL) throw new IOException("protocol error: a frame on the socket of a shared-memory channel");
                }
            }
        }
    }

    /** Answers the request last taken with {@code out} (on the socket too when it does not fit). */
    void answer(Connection conn, WireBuffer out) throws IOException {
        int n = out.size();
        boolean spill = n > CAPACITY;
        if (!spill) MemorySegment.copy(out.array(), 0, m, ValueLayout.JAVA_BYTE, DATA, n);
        INT.setVolatile(m, REPLY_LENGTH, spill ? -1 : n);
        INT.setVolatile(m, REPLY, seq);
        WaitStrategy.wake(m, REPLY, REPLY_SLEEPERS, 1);
        if (spill) conn.sendBytes(out.array(), 0, n);
    }

    /** Marks the channel closed and wakes both sides (the server stops). */
    void markClosed() {
        try {
            INT.setVolatile(m, CLOSED, 1);
            WaitStrategy.wake(m, REPLY, REPLY_SLEEPERS, Integer.MAX_VALUE);
            WaitStrategy.wake(m, REQUEST, REQUEST_SLEEPERS, Integer.MAX_VALUE);
        } catch (RuntimeException ignored) {
            // unmapped already: its session ended
        }
    }

    // ------------------------------------------------------------------ frames

    private WireBuffer read(Connection conn, WireBuffer in, long lengthAt) throws IOException {
        int n = getInt(lengthAt);
        if (n < 0) return receive(conn, in);
        if (n > CAPACITY) throw new IOException("corrupt manager channel: frame length=" + n);
        in.clear();
        in.ensure(n);
        MemorySegment.copy(m, ValueLayout.JAVA_BYTE, DATA, in.array(), 0, n);
        in.setSize(n);
        in.position(0);
        return in;
    }

    /** One frame from the socket into {@code in}, or into a larger buffer, returned. */
    static WireBuffer receive(Connection conn, WireBuffer in) throws IOException {
        for (;;) {
            try {
                int n = conn.recvBytesInto(in.array());
                in.setSize(n);
                in.position(0);
                return in;
            } catch (io.mp4j.ipc.connection.MessageTooLongException e) {
                in = new WireBuffer((int) Math.min(Integer.MAX_VALUE - 8, e.length()));
            }
        }
    }

    private int getInt(long off) { return (int) INT.getVolatile(m, off); }
}
