package io.mp4j.ipc.connection;

import io.mp4j.ipc.codec.Codec;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Type;
import java.nio.ByteOrder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The receiving half of a {@link Connection}: frames ({@code int} big-endian length, then the payload;
 * length {@code -1} is followed by a {@code long} length, as Python writes messages over 2 GiB) read from
 * the socket into a native buffer.
 *
 * <p>Small frames are read in as few calls as possible: one blocking {@code recv} takes whatever has
 * arrived, often several frames. A frame larger than the buffer goes straight into its own heap array.
 * How a receive waits for the socket (poll, then block in slices that notice {@link Connection#close()} and
 * interrupts) is {@link SocketInput}'s.
 *
 * <p>Every method runs under {@link #lock} (callers are serialized) with the descriptor acquired.
 */
final class Receiver {
    static final int CAPACITY = 64 * 1024;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The largest message a Java array can hold. */
    static final long MAX_MESSAGE = Integer.MAX_VALUE - 8;

    final ReentrantLock lock = new ReentrantLock();
    private final Descriptor descriptor;
    private final FrameInput in = new FrameInput();
    // Reader state, guarded by lock. Buffered bytes are [pos, lim) of buf.
    private MemorySegment buf;
    private long base;
    private int pos, lim;
    /** Length of the header of the frame at pos (4 or 12), set by {@link #peekLength()}. */
    private int headerLength;
    /** A frame larger than the buffer, being received: its bytes [0, bigFill) have arrived. */
    private byte[] big;
    private int bigFill;
    /** Waiting for bytes from the socket, end-of-file included. */
    private final SocketInput socket;

    Receiver(Descriptor descriptor) {
        this.descriptor = descriptor;
        this.socket = new SocketInput(descriptor);
    }

    private void init() {
        if (buf == null) {
            Arena arena = Arena.ofAuto();
            buf = arena.allocate(CAPACITY, 64);
            base = buf.address();
            socket.open();
        }
    }

    // ------------------------------------------------------------------ the operations of Connection

    /** Receives one message and decodes it against {@code declared}. */
    Object recvObject(Type declared) throws IOException {
        int fd = enter();
        try {
            Object v;
            if (big == null) {
                long n = peekLength(fd);
                if (n <= CAPACITY - 12) {
                    int frame = headerLength + (int) n;
                    ensure(fd, frame);
                    int start = pos + headerLength;
                    pos += frame; // consumed before decoding: a message that fails to decode is gone, not stuck
                    return Codec.readSlot(in.reset(buf, start, start + (int) n), declared, loader());
                }
                checkArraySize(n);
                startBig((int) n);
            }
            finishBig(fd);
            byte[] b = takeBig();
            try {
                v = Codec.readSlot(in.reset(MemorySegment.ofArray(b), 0, b.length), declared, loader());
            } finally {
                in.clear();
            }
            return v;
        } finally {
            leave();
        }
    }

    /** Receives one message as bytes; a message longer than {@code maxLength} is refused and left in place. */
    byte[] recvBytes(long maxLength) throws IOException {
        int fd = enter();
        try {
            if (big == null) {
                long n = peekLength(fd);
                if (n > maxLength) throw new MessageTooLongException(n, maxLength);
                checkArraySize(n);
                int frame = headerLength + (int) n;
                if (frame <= CAPACITY) {
                    ensure(fd, frame);
                    byte[] out = new byte[(int) n];
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, pos + headerLength, out, 0, (int) n);
                    pos += frame;
                    return out;
                }
                startBig((int) n);
            } else if (big.length > maxLength) {
                throw new MessageTooLongException(big.length, maxLength);
            }
            finishBig(fd);
            return takeBig();
        } finally {
            leave();
        }
    }

    /** Receives one message into {@code dst} at {@code offset}; returns its length. */
    int recvBytesInto(byte[] dst, int offset) throws IOException {
        int fd = enter();
        try {
            int room = dst.length - offset;
            if (big != null) {
                if (big.length > room) throw new MessageTooLongException(big.length, room);
                finishBig(fd);
                byte[] b = takeBig();
                System.arraycopy(b, 0, dst, offset, b.length);
                return b.length;
            }
            long n = peekLength(fd);
            if (n > room) throw new MessageTooLongException(n, room);
            int len = (int) n;
            int frame = headerLength + len;
            if (frame <= CAPACITY) {
                ensure(fd, frame);
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, pos + headerLength, dst, offset, len);
                pos += frame;
                return len;
            }
            // Straight into the caller's array; if this is cut short (interrupt, close), the part received
            // moves into an array of our own so that the next receive can finish the message.
            int have = consumeHeaderAndBuffered(dst, offset, len);
            try {
                socket.readFully(fd, dst, offset, offset + have, len - have);
            } catch (InterruptedIOException | ClosedConnectionException e) {
                big = new byte[len];
                bigFill = have + (e instanceof InterruptedIOException ie ? Math.max(0, ie.bytesTransferred) : 0);
                System.arraycopy(dst, offset, big, 0, bigFill);
                throw e;
            }
            return len;
        } finally {
            leave();
        }
    }

    /**
     * Whether a message (or end-of-file) can be read now or arrives within {@code nanos} (0: do not wait).
     */
    boolean poll(long nanos) throws IOException {
        int fd = enter();
        try {
            if (big != null || lim > pos || socket.atEof()) return true;
            return socket.awaitReadable(fd, nanos);
        } finally {
            leave();
        }
    }

    /** Whether bytes are buffered here (a receive would find data without asking the socket). */
    boolean hasBuffered() { return big != null || lim > pos || socket.atEof(); }

    /** This end's poll budget (for tests, and for {@code Connections.wait}'s poll). */
    long spinNanos() { return socket.spinNanos(); }

    /**
     * Takes the buffered bytes out of this end, for the process it moves to; an empty array if none.
     * Called with {@link #lock} held.
     *
     * @throws IllegalStateException when a message is half received
     */
    byte[] drain() {
        if (big != null) {
            throw new IllegalStateException("cannot share a connection end while a large message is half received ("
                    + bigFill + " of " + big.length + " bytes): receive it first");
        }
        if (lim == pos) return new byte[0];
        byte[] out = new byte[lim - pos];
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, pos, out, 0, out.length);
        pos = lim = 0;
        return out;
    }

    /**
     * Puts back bytes that {@link #drain()} took, in front of whatever this end has buffered since: the end was
     * shared and then claimed by this very process.
     *
     * @throws IllegalStateException when another thread is receiving on this end, or when what it received since
     *         the end was shared leaves no room in front (the order of the messages could not be kept)
     */
    void restore(byte[] bytes) {
        if (bytes.length == 0) return;
        if (!lock.tryLock()) {
            throw new IllegalStateException("cannot take back a connection end that another thread of this process is receiving on");
        }
        try {
            init();
            int have = lim - pos;
            if (big != null || have + bytes.length > CAPACITY) {
                throw new IllegalStateException("cannot take back a connection end that received " + (big != null ? "part of a large message" : have + " bytes")
                        + " after it was shared: the " + bytes.length + " bytes read ahead before would come out of order");
            }
            if (pos >= bytes.length) {
                pos -= bytes.length;
            } else {
                MemorySegment.copy(buf, pos, buf, bytes.length, have);
                pos = 0;
                lim = bytes.length + have;
            }
            MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, pos, bytes.length);
        } finally {
            lock.unlock();
        }
    }

    /** Puts bytes that arrived before this end moved here in front of whatever the socket holds. */
    void prefill(byte[] bytes) {
        if (bytes.length == 0) return;
        if (bytes.length > CAPACITY) throw new IllegalArgumentException("prefill longer than the buffer: length=" + bytes.length);
        init();
        MemorySegment.copy(bytes, 0, buf, ValueLayout.JAVA_BYTE, 0, bytes.length);
        pos = 0;
        lim = bytes.length;
    }

    // ------------------------------------------------------------------ frames

    /** Takes the lock (an interrupt while another thread receives ends the wait: nothing is received) and the descriptor. */
    private int enter() throws IOException {
        if (!lock.tryLock()) {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SocketInput.interrupted(0);
            }
        }
        try {
            int fd = descriptor.acquire();
            init();
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            lock.unlock();
            throw e;
        }
    }

    private void leave() {
        descriptor.release();
        lock.unlock();
    }

    /** The payload length of the frame at {@code pos}, waiting for its header; sets {@link #headerLength}. */
    private long peekLength(int fd) throws IOException {
        ensure(fd, 4);
        int n = buf.get(INT, pos);
        if (n >= 0) {
            headerLength = 4;
            return n;
        }
        if (n == -1) {
            ensure(fd, 12);
            long m = buf.get(LONG, pos + 4);
            if (m >= 0) {
                headerLength = 12;
                return m;
            }
        }
        throw corrupt("a negative message length: length=" + n);
    }

    private IOException corrupt(String what) {
        descriptor.close(); // the stream cannot be resynchronized
        return new IOException("corrupt stream: " + what + "; the connection is closed");
    }

    private static void checkArraySize(long n) throws MessageTooLongException {
        if (n > MAX_MESSAGE) throw new MessageTooLongException(n, MAX_MESSAGE);
    }

    /** Starts receiving a frame larger than the buffer: consumes its header and what is buffered of it. */
    private void startBig(int n) {
        byte[] b = new byte[n];
        bigFill = consumeHeaderAndBuffered(b, 0, n);
        big = b;
    }

    private int consumeHeaderAndBuffered(byte[] dst, int offset, int n) {
        pos += headerLength;
        int have = Math.min(lim - pos, n);
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, pos, dst, offset, have);
        pos += have;
        if (pos == lim) pos = lim = 0;
        return have;
    }

    private void finishBig(int fd) throws IOException {
        try {
            socket.readFully(fd, big, 0, bigFill, big.length - bigFill);
            bigFill = big.length;
        } catch (InterruptedIOException e) {
            bigFill += e.bytesTransferred;
            throw e;
        }
    }

    private byte[] takeBig() {
        byte[] b = big;
        big = null;
        bigFill = 0;
        return b;
    }

    /** Waits until at least {@code n} (at most {@link #CAPACITY}) bytes are buffered at {@code pos}. */
    private void ensure(int fd, int n) throws IOException {
        if (pos == lim) pos = lim = 0;
        while (lim - pos < n) {
            if (CAPACITY - pos < n) {
                MemorySegment.copy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            long got = socket.recv(fd, base + lim, CAPACITY - lim);
            if (got == 0) throw lim == pos ? new EOFException("the peer closed the connection") : SocketInput.midMessageEof(lim - pos, n);
            lim += (int) got;
        }
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : Receiver.class.getClassLoader();
    }
}
