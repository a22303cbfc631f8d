package io.mp4j.ipc.connection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.Shareable;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One end of a message connection between two processes (or threads): Python's
 * {@code multiprocessing.connection.Connection}. Ends come from {@link Pipe#open}, {@link Listener#accept()}
 * and {@link Client#connect}; a context makes them with {@code ctx.pipe()}, {@code ctx.listener()} and
 * {@code ctx.client(address)}.
 * <pre>{@code
 * Pipe pipe = ctx.pipe();
 * MpProcess p = ctx.process(Worker::answerSquares, pipe.second());
 * p.start();
 * pipe.second().close();              // the child has its own copy now
 * pipe.first().send(10);
 * int one = pipe.first().recv(Integer.class);
 * }</pre>
 *
 * <h2>Messages</h2>
 * {@link #send(Object)} encodes an object with the library's {@link Codec} and {@link #recv()} decodes it:
 * scalars, strings, byte arrays, lists and maps of them come back as themselves; a record or other class
 * comes back from {@link #recv(Class)} when the receiver names its class, or from {@link #recv()} when the
 * class was registered with {@link Codec#register} in the receiving process. {@link #sendBytes} and
 * {@link #recvBytes} carry raw bytes. On the wire every message is a 4-byte big-endian length, then its
 * bytes, as in Python, so byte messages (and the authentication handshake) interoperate with a Python
 * {@code Connection}; objects do not (Python pickles them).
 *
 * <h2>Threads</h2>
 * An end is meant for one receiving thread and one sending thread, which may run at the same time. More
 * callers are safe but serialized: two threads calling {@code send} at once wait for each other, and
 * messages never interleave. {@link #close()} may be called from any thread: a thread blocked in a
 * receive or a send then fails with {@link ClosedConnectionException} within {@value #SLICE_MILLIS} ms.
 * A blocked receive that is interrupted throws {@link java.io.InterruptedIOException}, keeps the interrupt
 * status, and loses nothing: the next receive continues where it stopped. A send is interruptible only
 * until the first byte of its message has gone. Either is interruptible while it waits for another thread's
 * receive or send on the same end.
 *
 * <h2>Across processes</h2>
 * A message becomes visible to the receiver in full or not at all; messages arrive in the order sent.
 * Everything the sender did before {@code send} is not otherwise visible to the receiver (processes share
 * no memory): only the message travels. An end is {@link Shareable}: pass it as an argument to a child
 * process (or send it over another connection) and it re-attaches there, as the same socket. Messages
 * sent to it before it re-attached wait in the socket and are delivered; messages this process had
 * already read ahead into its buffer move with the end. Both processes then hold the end (as after a fork
 * in Python): the usual pattern is to close the sender's copy once the child is started.
 *
 * <h2>End of file and errors</h2>
 * When the peer closes its end (or dies), receives return what was sent before, then throw
 * {@link java.io.EOFException}; a message cut short by the peer's death also ends in an
 * {@code EOFException}, never in a partial message. Sending to a closed peer throws an {@link IOException}
 * ("broken pipe"). Any operation on an end this process closed throws {@link ClosedConnectionException}.
 * Receiving on a send-only end, or sending on a receive-only one, throws {@link IllegalStateException}.
 */
public final class Connection implements Closeable, Shareable {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Connection.class, Sharer.Handle.class, Connection::handle, Connection::attach);
    }

    /** How long a blocked call waits before looking again for {@link #close()} and interrupts. */
    public static final int SLICE_MILLIS = 100;

    private static final long SLICE_NANOS = SLICE_MILLIS * 1_000_000L;

    /** The milliseconds to wait in one slice when {@code nanos} are left (rounded up; 0 when none are left). */
    static int sliceMillis(long nanos) {
        if (nanos <= 0) return 0;
        if (nanos >= SLICE_NANOS) return SLICE_MILLIS;
        return (int) ((nanos + 999_999) / 1_000_000);
    }

    private final Descriptor descriptor;
    private final Receiver receiver;
    private final Sender sender;
    private final Supplier<Path> shareDir;

    private Connection(int fd, boolean readable, boolean writable, Supplier<Path> shareDir) {
        this.descriptor = new Descriptor(fd);
        this.receiver = readable ? new Receiver(descriptor) : null;
        this.sender = writable ? new Sender(descriptor) : null;
        this.shareDir = shareDir;
    }

    /**
     * Wraps a connected stream socket. On failure the descriptor is closed.
     *
     * @param shareDir where this end's socket for handing it to other processes lives ({@code null}: it
     *                 cannot travel)
     */
    static Connection wrap(int fd, boolean readable, boolean writable, Supplier<Path> shareDir) throws IOException {
        var errno = Native.errno();
        // The receive timeout is the slice after which a blocked receive looks for close() and interrupts.
        if (Native.setTimeout(errno, fd, Native.SO_RCVTIMEO, SLICE_MILLIS) < 0) {
            int err = Native.errno(errno);
            Native.close(fd);
            throw Native.error("setsockopt(SO_RCVTIMEO)", err);
        }
        return new Connection(fd, readable, writable, shareDir);
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends an object, encoded with the {@link Codec}. Blocks while the socket is full (the peer is not
     * receiving).
     *
     * @throws io.mp4j.ipc.codec.CodecException when the object cannot travel (nothing is sent)
     * @throws ClosedConnectionException when this end is closed
     * @throws IOException when the peer has closed its end ("broken pipe")
     * @throws IllegalStateException on a receive-only end
     * @param obj the object; its class must be one the receiver accepts (see {@link Codec})
     */
    public void send(Object obj) throws IOException {
        writer().sendObject(obj, null); // the receiver names the type it decodes against (recv(Class))
    }

    /**
     * Sends all of {@code bytes} as one message ({@link #sendBytes(byte[], int, int)}).
     *
     * @param bytes the message
     * @throws IOException when the peer has closed its end, or this end is closed
     */
    public void sendBytes(byte[] bytes) throws IOException {
        sendBytes(bytes, 0, bytes.length);
    }

    /**
     * Sends {@code length} bytes of {@code bytes} from {@code offset} as one message (Python's
     * {@code send_bytes(buf, offset, size)}). A large message is sent from the array without a copy:
     * do not change it until this returns.
     *
     * @throws IndexOutOfBoundsException when the range is outside the array
     * @param bytes the array holding the message
     * @param offset where the message starts in it
     * @param length the message's length
     * @throws IOException when the peer has closed its end, or this end is closed
     */
    public void sendBytes(byte[] bytes, int offset, int length) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Objects.checkFromIndexSize(offset, length, bytes.length);
        writer().sendBytes(bytes, offset, length);
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Receives the next message as an object, blocking until it arrives. Scalars, strings, byte arrays,
     * lists and maps come back as themselves; other classes must be registered with {@link Codec#register}
     * in this process (or use {@link #recv(Class)}).
     *
     * @throws java.io.EOFException when the peer has closed its end and every message sent before was received
     * @throws io.mp4j.ipc.codec.CodecException when the message cannot be decoded (it is consumed)
     * @throws ClosedConnectionException when this end is closed, before or during the call
     * @throws java.io.InterruptedIOException when the thread is interrupted while waiting
     * @return the message, decoded
     */
    public Object recv() throws IOException {
        return reader().recvObject(Object.class);
    }

    /**
     * Receives the next message decoded as {@code type}: a record or class arrives as itself without being
     * registered. Otherwise as {@link #recv()}.
     *
     * @throws io.mp4j.ipc.codec.CodecException when the message is not a {@code type} (it is consumed)
     * @param <T> the type expected
     * @param type the class expected
     * @return the message, decoded as {@code type}
     * @throws IOException as {@link #recv()}
     */
    public <T> T recv(Class<T> type) throws IOException {
        Objects.requireNonNull(type, "type");
        Object v = reader().recvObject(type);
        Class<?> boxed = Codec.boxed(type);
        if (v != null && !boxed.isInstance(v)) {
            throw new io.mp4j.ipc.codec.CodecException("received a " + v.getClass().getName() + " where a "
                    + type.getName() + " was expected: value=" + v);
        }
        @SuppressWarnings("unchecked") T t = (T) v;
        return t;
    }

    /**
     * Receives the next message as bytes, of any length ({@link #recvBytes(int)}).
     *
     * @return the message
     * @throws IOException as {@link #recv()}
     */
    public byte[] recvBytes() throws IOException {
        return reader().recvBytes(Receiver.MAX_MESSAGE);
    }

    /**
     * Receives the next message as bytes (Python's {@code recv_bytes(maxlength)}).
     *
     * @throws MessageTooLongException when the message is longer than {@code maxLength}: it is left in the
     *         connection, which stays usable (the next receive returns that message)
     * @throws IllegalArgumentException when {@code maxLength} is negative
     * @param maxLength the longest message accepted
     * @return the message
     */
    public byte[] recvBytes(int maxLength) throws IOException {
        if (maxLength < 0) throw new IllegalArgumentException("maxLength must not be negative: maxLength=" + maxLength);
        return reader().recvBytes(maxLength);
    }

    /**
     * Receives the next message into {@code buffer} from index 0; returns its length.
     *
     * @param buffer where the message goes
     * @return the message's length
     * @throws IOException as {@link #recvBytesInto(byte[], int)}
     */
    public int recvBytesInto(byte[] buffer) throws IOException {
        return recvBytesInto(buffer, 0);
    }

    /**
     * Receives the next message into {@code buffer} from {@code offset}; returns its length (Python's
     * {@code recv_bytes_into}). Allocates nothing.
     *
     * @throws MessageTooLongException when the message does not fit: it is left in the connection, which
     *         stays usable
     * @throws IndexOutOfBoundsException when {@code offset} is outside the array
     * @param buffer where the message goes
     * @param offset where in {@code buffer} it starts
     * @return the message's length
     */
    public int recvBytesInto(byte[] buffer, int offset) throws IOException {
        Objects.requireNonNull(buffer, "buffer");
        Objects.checkIndex(offset, buffer.length + 1);
        return reader().recvBytesInto(buffer, offset);
    }

    /**
     * Whether there is data to receive now (or the peer has closed: a receive would not block).
     *
     * @return whether a receive would not block
     * @throws IOException when this end is closed
     */
    public boolean poll() throws IOException {
        return reader().poll(0);
    }

    /**
     * Waits up to {@code timeout} for data to receive; whether there is some (or the peer has closed).
     * Python's {@code poll(timeout)}. As a receive that finds nothing, it polls the socket for a few
     * microseconds (an adaptive budget of this end) before it blocks: see docs/connections.md, "Waiting for a
     * message". A timeout of zero or less does not wait.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether there is data to receive
     * @throws IOException when this end is closed (also while waiting)
     */
    public boolean poll(long timeout, TimeUnit unit) throws IOException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        return reader().poll(nanos == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : nanos);
    }

    /**
     * {@link #poll(long, TimeUnit)} with a {@link Duration}.
     *
     * @param timeout how long to wait at most
     * @return whether there is data to receive
     * @throws IOException when this end is closed (also while waiting)
     */
    public boolean poll(Duration timeout) throws IOException {
        return poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ state

    /**
     * Whether this end can receive (false for the sending end of a one-way pipe).
     *
     * @return whether it receives
     */
    public boolean isReadable() { return receiver != null; }

    /**
     * Whether this end can send (false for the receiving end of a one-way pipe).
     *
     * @return whether it sends
     */
    public boolean isWritable() { return sender != null; }

    /**
     * Whether this end was closed (by {@link #close()}, here or in another thread).
     *
     * @return whether it is closed
     */
    public boolean isClosed() { return descriptor.isClosed(); }

    /** The socket's send buffer in bytes as the kernel reports it (for tests). */
    int sendBufferBytes() throws IOException {
        int fd = descriptor.acquire();
        try {
            return Native.intOption(fd, Native.SOL_SOCKET, Native.SO_SNDBUF);
        } finally {
            descriptor.release();
        }
    }

    /**
     * Closes this end (idempotent). The peer sees end-of-file once every process holding this end has
     * closed it. Messages already sent are still delivered.
     */
    @Override
    public void close() { descriptor.close(); }

    @Override
    public String toString() {
        String mode = receiver != null && sender != null ? "duplex" : receiver != null ? "receive-only" : "send-only";
        return "Connection[" + descriptor + ", " + mode + "]";
    }

    private Sender writer() {
        if (sender == null) throw new IllegalStateException("this connection end is receive-only: it cannot send (" + this + ")");
        return sender;
    }

    private Receiver reader() {
        if (receiver == null) throw new IllegalStateException("this connection end is send-only: it cannot receive (" + this + ")");
        return receiver;
    }

    Descriptor descriptor() { return descriptor; }

    Receiver receiver() { return receiver; }

    Supplier<Path> shareDir() { return shareDir; }

    // ------------------------------------------------------------------ travelling

    /** What travels in place of this end: a claim on it, served by this process (see {@link Sharer}). */
    @JsonValue
    Sharer.Handle handle() { return Sharer.share(this); }

    /** Re-attaches an end in the process that decodes its handle. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Connection attach(Sharer.Handle handle) { return Sharer.attach(handle); }
}
