package io.mp4j.managers;

import io.mp4j.core.pool.RemoteErrors;
import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.worker.pool.PoolMessages;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * This process's connections to one manager (one address and key), shared by every proxy of that manager here.
 *
 * <p>A call borrows an idle connection (or opens one: connect and authenticate), sends its request, waits for
 * the answer and gives the connection back; so a connection carries one call at a time, and there are as many
 * as calls in progress at once. The caller's thread is named in the calls that need it (an RLock's owner), not
 * implied by the connection. On a Unix-domain manager, a connection moves its calls to a shared-memory channel
 * ({@link ShmChannel}) at its {@value #CALLS_BEFORE_SHARED}th call. A connection that broke is dropped, and the call throws
 * {@link ManagerUnavailableException}: a dead manager's socket ends at once, so nothing waits for it.
 *
 * <p>Interrupts: a call that may block in the server ({@code cancellable}) answers an interrupt by sending
 * {@code CANCEL} and waiting for the server's answer, which comes within a slice of its wait: {@code CANCELLED}
 * (nothing was done; {@link InterruptedException}) or the result, when the call completed first (returned with
 * the interrupt status set). Other calls finish and keep the interrupt status. A connection that carried a
 * cancel is closed rather than reused, so that a late cancel can never reach another call.
 */
final class ManagerClient {
    private static final ConcurrentHashMap<Key, ManagerClient> CLIENTS = new ConcurrentHashMap<>();

    /** A manager as this process reaches it: its address and the key it connects with. */
    private record Key(String address, String authkey) {}
    private static final byte[] CANCEL_FRAME = {Wire.CANCEL};
    /** A random id of this JVM: with a thread id, it names the caller of an RLock or Condition call. */
    static final long JVM_ID = new java.security.SecureRandom().nextLong();

    final String address;
    private final SocketAddress socketAddress;
    private final byte[] authkey;
    private final ConcurrentLinkedDeque<Channel> idle = new ConcurrentLinkedDeque<>();
    /**
     * Where this process's connections make their shared-memory channels (the directory of a Unix-domain manager's
     * socket), or null: the calls stay on the socket (a TCP manager, or MP4J_MANAGER_CHANNEL=socket).
     */
    private final java.nio.file.Path sharedDir;
    /**
     * A connection asks for its channel before its this-many-th call: a process that makes a few calls (a manager's
     * start, a task that reads one value) keeps the socket and does not pay for the segment.
     */
    static final int CALLS_BEFORE_SHARED = 8;

    private ManagerClient(String address, byte[] authkey) {
        this.address = address;
        this.socketAddress = Addresses.parse(address);
        this.authkey = authkey.clone();
        this.sharedDir = ShmChannel.ENABLED && socketAddress instanceof java.net.UnixDomainSocketAddress u ? u.getPath().getParent() : null;
    }

    /** This process's client of the manager at {@code address} with {@code authkey}. */
    static ManagerClient of(String address, byte[] authkey) {
        return CLIENTS.computeIfAbsent(new Key(address, HexFormat.of().formatHex(authkey)), k -> new ManagerClient(address, authkey));
    }

    /** Closes this process's idle connections to {@code address} (after its manager was shut down). */
    static void forget(String address) {
        CLIENTS.values().removeIf(c -> {
            if (!c.address.equals(address)) return false;
            for (Channel ch; (ch = c.idle.poll()) != null; ) ch.close();
            return true;
        });
    }

    /** How many of this process's idle connections to this manager use a shared-memory channel (for tests). */
    int sharedChannels() {
        int n = 0;
        for (Channel ch : idle) if (ch.shm != null) n++;
        return n;
    }

    /** Writes a call's arguments. */
    @FunctionalInterface
    interface Args {
        Args NONE = out -> { };

        void write(WireBuffer out) throws IOException;
    }

    /** Reads a call's answer. */
    @FunctionalInterface
    interface Answer<R> {
        Answer<Void> NONE = in -> null;

        R read(WireBuffer in) throws IOException;
    }

    /** An exception the server's referent threw, re-created here. */
    static final class RemoteFailure extends Exception {
        final Throwable error;

        RemoteFailure(Throwable error) {
            super(error.toString(), null, false, false);
            this.error = error;
        }

        /** The error itself when unchecked, else wrapped. */
        RuntimeException unchecked() {
            if (error instanceof RuntimeException r) return r;
            if (error instanceof Error e) throw e;
            return new UndeclaredThrowableException(error, "the manager's object threw " + error);
        }
    }

    // ------------------------------------------------------------------ calls

    /** A call that does not block in the server; an interrupt meanwhile is kept for later. */
    <R> R call(long id, int method, Args args, Answer<R> answer) {
        try {
            return exchange(Wire.CALL, id, method, args, answer, false);
        } catch (RemoteFailure f) {
            throw f.unchecked();
        } catch (InterruptedException e) {
            throw new AssertionError("not cancellable", e);
        }
    }

    /** A call that may block in the server and is given up on an interrupt (see the class comment). */
    <R> R callInterruptibly(long id, int method, Args args, Answer<R> answer) throws InterruptedException {
        try {
            return exchange(Wire.CALL, id, method, args, answer, true);
        } catch (RemoteFailure f) {
            throw f.unchecked();
        }
    }

    /** A call whose referent's checked exceptions the caller sorts out. */
    <R> R callChecked(long id, int method, Args args, Answer<R> answer, boolean cancellable) throws RemoteFailure, InterruptedException {
        return exchange(Wire.CALL, id, method, args, answer, cancellable);
    }

    /** A referent made in the manager: its id, and the name of its registered type ("" for a built-in one). */
    record Created(long id, String type) {}

    /** Makes a referent of {@code typeid} in the manager. */
    Created create(String typeid, Args args) {
        try {
            return exchange(Wire.CREATE, 0, 0, out -> {
                io.mp4j.ipc.codec.Codec.writeString(out, typeid);
                args.write(out);
            }, in -> new Created(in.readLong(), io.mp4j.ipc.codec.Codec.readString(in)), false);
        } catch (RemoteFailure f) {
            throw f.unchecked();
        } catch (InterruptedException e) {
            throw new AssertionError("not cancellable", e);
        }
    }

    /** Connects (if no connection is idle) and checks that the manager answers. */
    void ping() throws IOException {
        Channel ch = idle.poll();
        if (ch == null) ch = open();
        try {
            exchangeOn(ch, Wire.PING, 0, 0, Args.NONE, Answer.NONE, false);
        } catch (IOException e) {
            ch.close();
            throw e;
        } catch (RemoteFailure | InterruptedException e) {
            throw new IOException("the manager at " + address + " answered a ping with " + e, e);
        }
    }

    /** Asks the server to stop; true if it answered. */
    boolean shutdownServer() {
        try {
            Channel ch = idle.poll();
            if (ch == null) ch = open();
            try {
                exchangeOn(ch, Wire.SHUTDOWN, 0, 0, Args.NONE, Answer.NONE, false);
                return true;
            } finally {
                idle.remove(ch);
                ch.close();
            }
        } catch (IOException | RemoteFailure | InterruptedException | ManagerUnavailableException e) {
            return false;
        }
    }

    private <R> R exchange(byte op, long id, int method, Args args, Answer<R> answer, boolean cancellable)
            throws RemoteFailure, InterruptedException {
        if (cancellable && Thread.interrupted()) throw new InterruptedException("interrupted before calling the manager at " + address);
        Channel ch = idle.poll();
        boolean fresh = ch == null;
        if (fresh) ch = connect();
        for (;;) {
            try {
                if (ch.sharedDue()) openShared(ch);
                return exchangeOn(ch, op, id, method, args, answer, cancellable);
            } catch (Unsent e) {
                // an idle connection the server had closed (it stopped, or died): the request never left, so it
                // goes once more on a new connection, which says best what became of the manager
                ch.close();
                if (fresh) throw unavailable(e.getCause());
                fresh = true;
                ch = connect();
            } catch (IOException e) {
                ch.close();
                throw unavailable(e);
            }
        }
    }

    private Channel connect() {
        try {
            return open();
        } catch (ConnectException e) {
            throw new ManagerUnavailableException(address, "nobody listens there (it was shut down, or its process ended)", e);
        } catch (AuthenticationException e) {
            throw new ManagerUnavailableException(address, "it refused this process's authentication key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ManagerUnavailableException(address, "cannot connect: " + e.getMessage(), e);
        }
    }

    private ManagerUnavailableException unavailable(Throwable e) {
        return new ManagerUnavailableException(address, (e instanceof java.io.EOFException ? "its connection closed"
                : "its connection broke (" + e.getMessage() + ")") + ": the server process ended", e);
    }

    /** The request could not be sent: the server did not see it. */
    private static final class Unsent extends IOException {
        Unsent(IOException cause) { super(cause.getMessage(), cause); }
    }

    /** One request and its reply on {@code ch}, which is given back (or closed) unless an IOException is thrown. */
    private <R> R exchangeOn(Channel ch, byte op, long id, int method, Args args, Answer<R> answer, boolean cancellable)
            throws IOException, RemoteFailure, InterruptedException {
        WireBuffer out = ch.out;
        out.clear();
        out.writeByte(op);
        if (op == Wire.CALL) {
            out.writeLong(id);
            out.writeShort(method);
        }
        try {
            args.write(out);
        } catch (IOException | RuntimeException e) {
            idle.push(ch); // nothing was sent
            throw e instanceof IOException io ? new io.mp4j.ipc.codec.CodecException("cannot encode the call's arguments: " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        if (ch.shm != null) return exchangeShared(ch, out, answer, cancellable);
        boolean interrupted = false, cancelSent = false;
        for (;;) {
            try {
                ch.conn.sendBytes(out.array(), 0, out.size());
                break;
            } catch (InterruptedIOException e) {
                // nothing was sent: the socket was full (a large request) when the interrupt came
                Thread.interrupted();
                if (cancellable) {
                    idle.push(ch);
                    throw new InterruptedException("interrupted while sending to the manager at " + address);
                }
                interrupted = true;
            } catch (io.mp4j.ipc.connection.ClosedConnectionException e) {
                throw e;
            } catch (IOException e) {
                throw new Unsent(e);
            }
        }
        WireBuffer in;
        for (;;) {
            try {
                in = ch.receive();
                break;
            } catch (InterruptedIOException e) {
                Thread.interrupted(); // so that the next receive blocks; the interrupt is answered below
                interrupted = true;
                if (cancellable && !cancelSent) {
                    ch.conn.sendBytes(CANCEL_FRAME);
                    cancelSent = true;
                }
            }
        }
        return answer(ch, in, answer, interrupted, cancelSent);
    }

    /** {@link #exchangeOn} through the connection's shared-memory channel: the request is written already. */
    private <R> R exchangeShared(Channel ch, WireBuffer out, Answer<R> answer, boolean cancellable)
            throws IOException, RemoteFailure, InterruptedException {
        ShmChannel shm = ch.shm;
        if (shm.closed()) throw new Unsent(new java.io.EOFException("the manager stopped"));
        boolean[] state = new boolean[2]; // interrupted, cancel sent
        if (shm.request(out)) {
            // too large for the channel: it follows on the socket, with the socket's interrupt rules
            for (;;) {
                try {
                    ch.conn.sendBytes(out.array(), 0, out.size());
                    break;
                } catch (InterruptedIOException e) {
                    // nothing of it was sent, but the server waits for it now: it goes anyway, and a cancel after it
                    Thread.interrupted();
                    state[0] = true;
                }
            }
            if (state[0] && cancellable) {
                ch.conn.sendBytes(CANCEL_FRAME);
                state[1] = true;
            }
        }
        WireBuffer in;
        try {
            in = shm.reply(ch.conn, ch.in, () -> {
                state[0] = true;
                if (cancellable && !state[1]) {
                    ch.conn.sendBytes(CANCEL_FRAME);
                    state[1] = true;
                }
            });
        } catch (ShmChannel.NotTaken e) {
            if (state[0]) Thread.currentThread().interrupt();
            throw new Unsent(e);
        }
        ch.in = in;
        return answer(ch, in, answer, state[0], state[1]);
    }

    /** Reads a reply's status and answer; gives the connection back (or closes it after a cancel). */
    private <R> R answer(Channel ch, WireBuffer in, Answer<R> answer, boolean interrupted, boolean cancelSent)
            throws RemoteFailure, InterruptedException {
        // the whole reply is read before the connection goes back: another call may take it at once
        try {
            byte status = in.readByte();
            if (status == Wire.CANCELLED) throw new InterruptedException("interrupted while waiting for the manager at " + address);
            if (interrupted) Thread.currentThread().interrupt();
            if (status == Wire.OK) return answer.read(in);
            if (status == Wire.ERROR) {
                Throwable t = RemoteErrors.rebuild(PoolMessages.readError(in));
                t.setStackTrace(new Throwable().getStackTrace()); // where it was called; the server's trace is the cause
                throw new RemoteFailure(t);
            }
            throw new io.mp4j.ipc.codec.CodecException("corrupt manager reply: status=" + status);
        } catch (IOException e) {
            throw new io.mp4j.ipc.codec.CodecException("cannot decode the manager's answer: " + e.getMessage(), e);
        } finally {
            if (cancelSent) ch.close();
            else idle.push(ch);
        }
    }

    private Channel open() throws IOException {
        return new Channel(Addresses.connect(socketAddress, authkey), sharedDir);
    }

    /**
     * Asks the server to take the calls on this connection through a shared-memory channel, made next to its socket
     * (the same machine, and a directory the server can read); a server that cannot leaves the calls on the socket.
     * Throws {@link Unsent} when the connection broke meanwhile: the call that was due did not leave.
     */
    private void openShared(Channel ch) throws Unsent {
        if (Thread.currentThread().isInterrupted()) return; // not now: the answer's wait would end at once
        ch.sharedDir = null; // one try per connection
        ShmChannel shm;
        try {
            shm = ShmChannel.create(sharedDir);
        } catch (RuntimeException e) {
            return; // no room or no right to write there: the socket serves
        }
        boolean ok = false;
        try {
            WireBuffer out = ch.out;
            out.clear();
            out.writeByte(Wire.CHANNEL);
            io.mp4j.ipc.codec.Codec.writeString(out, shm.path().toString());
            ch.conn.sendBytes(out.array(), 0, out.size());
            WireBuffer in;
            boolean interrupted = false;
            for (;;) {
                try {
                    in = ch.receive();
                    break;
                } catch (InterruptedIOException e) {
                    Thread.interrupted(); // the answer comes anyway: wait for it, and keep the interrupt
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            ok = in.readByte() == Wire.OK;
        } catch (IOException e) {
            throw new Unsent(e);
        } finally {
            shm.unlink();
            if (ok) ch.shm = shm;
            else shm.close();
        }
    }

    /** One connection, with its reusable buffers; used by one call at a time. */
    private static final class Channel {
        final Connection conn;
        final WireBuffer out = new WireBuffer(512);
        WireBuffer in = new WireBuffer(512);
        /** The calls' shared-memory channel (a Unix-domain manager), or null: they go on the socket. */
        ShmChannel shm;
        /** Where to make the channel once this connection has carried {@link #CALLS_BEFORE_SHARED} calls; null: never. */
        java.nio.file.Path sharedDir;
        private int calls;

        Channel(Connection conn, java.nio.file.Path sharedDir) {
            this.conn = conn;
            this.sharedDir = sharedDir;
        }

        /** Whether the channel is due now (counts the call about to go). */
        boolean sharedDue() { return sharedDir != null && ++calls >= CALLS_BEFORE_SHARED; }

        void close() {
            conn.close();
            if (shm != null) shm.close();
        }

        WireBuffer receive() throws IOException { return in = ShmChannel.receive(conn, in); }
    }
}
