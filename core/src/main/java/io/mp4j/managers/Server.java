package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.ipc.connection.ClosedConnectionException;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Listener;
import io.mp4j.worker.pool.PoolMessages;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * A manager's server (Python's {@code managers.Server}): owns the shared objects and answers their proxies'
 * calls. One thread accepts and authenticates connections; each connection then has a thread of its own, which
 * serves its calls one after the other (a client uses one connection per call in progress, see
 * {@link ManagerClient}), from the socket or, once the client asked for one, from the connection's shared-memory
 * channel ({@link ShmChannel}). The objects live until the server stops.
 *
 * <p>A call that waits (a lock, a queue, an event...) waits in slices of {@value #SLICE_MILLIS} ms and looks at
 * its connection between slices: a {@code CANCEL} ends the wait with {@code CANCELLED} (nothing done), and a
 * connection that ended (its process died) ends the wait and the thread.
 */
final class Server {
    static final int SLICE_MILLIS = 50;
    private static final long SLICE_NANOS = SLICE_MILLIS * 1_000_000L;

    private final Listener listener;
    private final Registry registry;
    private final Map<Long, Servant> objects = new ConcurrentHashMap<>();
    /** Referents of registered types already served (a factory that returns one shared object), by identity. */
    private final Map<Object, Long> registered = new IdentityHashMap<>();
    /** Ids start at a random number: a stale proxy of another server at the same address names no object here. */
    private final AtomicLong ids = new AtomicLong(new java.security.SecureRandom().nextLong() >>> 2);
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    private Server(Listener listener, Registry registry) {
        this.listener = listener;
        this.registry = registry;
    }

    /** A server listening on {@code address} (nothing served before {@link #serveForever()}). */
    static Server bind(SocketAddress address, byte[] authkey, Registry registry) throws IOException {
        return new Server(Addresses.listen(address, authkey), registry);
    }

    SocketAddress address() { return listener.address(); }

    /**
     * Serves until {@link #stop()} (a {@code SHUTDOWN} request) or an interrupt of this thread, and returns at once
     * then: connections are accepted on a thread of their own, which a closed listener ends only at its next slice.
     */
    void serveForever() {
        Thread.ofPlatform().daemon(true).name("mp4j-manager-accept").start(this::acceptLoop);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            stop();
        }
    }

    /** Accepts connections until the listener closes; a peer that fails authentication is refused and the server goes on. */
    private void acceptLoop() {
        try {
            while (!stopping) {
                Connection c;
                try {
                    c = listener.accept();
                } catch (AuthenticationException e) {
                    continue; // a wrong key: that peer is refused, the others are served
                } catch (InterruptedIOException | ClosedConnectionException e) {
                    break;
                } catch (IOException e) {
                    if (stopping) break;
                    continue;
                }
                Session s = new Session(c);
                sessions.add(s);
                if (stopping) s.close();
                else Thread.ofPlatform().daemon(true).name("mp4j-manager-session").start(s::run);
            }
        } finally {
            stop();
        }
    }

    /** Stops accepting and ends every session (a call in progress ends without its answer). */
    void stop() {
        stopping = true;
        listener.close();
        for (Session s : sessions) {
            ShmChannel c = s.channel;
            if (c != null) c.markClosed(); // a client waiting in shared memory learns it at once
            s.close();
        }
        stopped.countDown();
    }

    // ------------------------------------------------------------------ objects

    /** Makes a referent; writes its id and the name of its registered type ("" for a built-in one). */
    private void create(String typeid, WireBuffer in, WireBuffer out) throws Exception {
        Servant s = switch (typeid) {
            case "dict" -> new DataServants.Dict(in);
            case "list" -> new DataServants.Lst(in);
            case "Namespace" -> new DataServants.Namespace(in);
            case "Value" -> new DataServants.Value(in);
            case "Array" -> new DataServants.Array(in);
            case "Queue", "JoinableQueue" -> new QueueServant(in.readInt());
            case "Lock" -> new SyncServants.Lock();
            case "RLock" -> new SyncServants.RLock();
            case "Semaphore" -> new SyncServants.Semaphore(in.readInt(), false);
            case "BoundedSemaphore" -> new SyncServants.Semaphore(in.readInt(), true);
            case "Event" -> new SyncServants.Event();
            case "Condition" -> new SyncServants.Condition(lockOf(in.readLong()));
            case "Barrier" -> new SyncServants.Barrier(in.readInt(), in.readLong());
            default -> null;
        };
        if (s != null) {
            long id = ids.incrementAndGet();
            objects.put(id, s);
            out.writeLong(id);
            Codec.writeString(out, "");
            return;
        }
        Registry.Entry e = registry.get(typeid);
        if (e == null) throw new IllegalArgumentException("unknown typeid: '" + typeid + "' (registered: " + registry.typeids() + ")");
        Object referent = e.create();
        long id;
        synchronized (registered) {
            Long known = registered.get(referent);
            if (known != null) {
                id = known;
            } else {
                id = ids.incrementAndGet();
                objects.put(id, new AutoServant(referent, e));
                registered.put(referent, id);
            }
        }
        out.writeLong(id);
        Codec.writeString(out, e.type().getName());
    }

    private SyncServants.Owned lockOf(long id) {
        if (id < 0) return new SyncServants.RLock();
        Servant s = objects.get(id);
        if (s instanceof SyncServants.Owned l) return l;
        throw new IllegalArgumentException("a Condition needs a Lock or RLock of the same manager: id=" + id + " is " + s);
    }

    private Servant servant(long id) {
        Servant s = objects.get(id);
        if (s == null) throw new IllegalArgumentException("no object with id " + id + " in this manager");
        return s;
    }

    // ------------------------------------------------------------------ sessions

    /** The object calls run on: reads its arguments from {@code in}, writes its answer to {@code out}. */
    interface Servant {
        void call(int method, WireBuffer in, WireBuffer out, Session session) throws Exception;
    }

    /** The caller gave up (a {@code CANCEL}): the call answers {@code CANCELLED}. */
    static final class Cancelled extends RuntimeException {
        Cancelled() { super("cancelled by the caller", null, false, false); }
    }

    /** The caller's connection ended: the call and its session end. */
    static final class Gone extends RuntimeException {
        Gone(String why) { super(why, null, false, false); }
    }

    /** One connection and the thread that serves it. */
    final class Session {
        private final Connection conn;
        /** The shared-memory channel the client asked for ({@link Wire#CHANNEL}), or null: requests on the socket. */
        volatile ShmChannel channel;

        Session(Connection conn) { this.conn = conn; }

        void close() { conn.close(); }

        /**
         * Waits on {@code c} (its lock held) for a signal, at most a slice and at most until {@code deadline}
         * ({@link #NO_DEADLINE}: none), then looks for a cancel or a hang-up (which throw). Returns false when
         * the deadline has passed without waiting.
         */
        boolean awaitSlice(Condition c, long deadline) {
            long left = deadline == NO_DEADLINE ? SLICE_NANOS : Math.min(SLICE_NANOS, deadline - System.nanoTime());
            if (left <= 0) return false;
            try {
                c.awaitNanos(left);
            } catch (InterruptedException e) {
                throw new Gone("the server was interrupted");
            }
            checkCancelled();
            return true;
        }

        /** Throws {@link Cancelled} when the caller sent a cancel, {@link Gone} when its connection ended. */
        void checkCancelled() {
            try {
                if (!conn.poll()) return;
                byte[] m = conn.recvBytes();
                if (m.length == 1 && m[0] == Wire.CANCEL) throw new Cancelled();
                throw new Gone("protocol error: a request arrived while a call was in progress");
            } catch (IOException e) {
                throw new Gone("the caller's connection ended: " + e);
            }
        }

        void run() {
            WireBuffer in = new WireBuffer(512), out = new WireBuffer(512);
            try {
                for (;;) {
                    ShmChannel ch = channel;
                    in = ch != null ? ch.nextRequest(conn, in, () -> stopping) : ShmChannel.receive(conn, in);
                    out.clear();
                    byte op = in.readByte();
                    switch (op) {
                        case Wire.CANCEL -> { continue; } // late: its call was answered already
                        case Wire.PING -> out.writeByte(Wire.OK);
                        case Wire.CHANNEL -> {
                            try {
                                ShmChannel c = ShmChannel.attach(java.nio.file.Path.of(Codec.readString(in)));
                                out.writeByte(Wire.OK);
                                send(out);
                                channel = c; // from the next request on
                                if (stopping) c.markClosed();
                                continue;
                            } catch (IOException | RuntimeException e) {
                                out.writeByte(Wire.ERROR); // the client goes on with the socket
                                PoolMessages.writeError(out, e);
                            }
                        }
                        case Wire.CALL, Wire.CREATE -> {
                            out.writeByte(Wire.OK);
                            try {
                                if (op == Wire.CALL) {
                                    long id = in.readLong();
                                    servant(id).call(in.readShort(), in, out, this);
                                } else {
                                    create(Codec.readString(in), in, out);
                                }
                            } catch (Cancelled c) {
                                out.clear();
                                out.writeByte(Wire.CANCELLED);
                            } catch (Gone g) {
                                throw g;
                            } catch (Throwable t) {
                                out.clear();
                                out.writeByte(Wire.ERROR);
                                PoolMessages.writeError(out, t);
                            }
                        }
                        case Wire.SHUTDOWN -> {
                            out.writeByte(Wire.OK);
                            send(out);
                            stop();
                            return;
                        }
                        default -> throw new Gone("protocol error: unknown request " + op);
                    }
                    send(out);
                }
            } catch (IOException | Gone e) {
                // the caller closed its connection or died, or the server is stopping: nothing to answer
            } finally {
                conn.close();
                ShmChannel c = channel;
                if (c != null) c.close();
                sessions.remove(this);
            }
        }

        /** Sends the answer, through the channel once there is one. */
        private void send(WireBuffer out) throws IOException {
            ShmChannel c = channel;
            if (c != null) c.answer(conn, out);
            else conn.sendBytes(out.array(), 0, out.size());
        }
    }

    static final long NO_DEADLINE = Long.MIN_VALUE;

    /** The deadline of a wire timeout ({@link Wire#FOREVER}: {@link #NO_DEADLINE}; 0: now). */
    static long deadline(long timeoutNanos) {
        return timeoutNanos < 0 ? NO_DEADLINE : System.nanoTime() + timeoutNanos;
    }
}
