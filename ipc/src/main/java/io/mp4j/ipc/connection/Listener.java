package io.mp4j.ipc.connection;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Accepts authenticated connections on a Unix-domain socket or on 127.0.0.1: Python's
 * {@code multiprocessing.connection.Listener}. Made by {@code ctx.listener()} (a socket file in the
 * context's private directory) or {@code ctx.listener(address)}.
 * <pre>{@code
 * try (Listener listener = ctx.listener()) {
 *     // in another process: Connection c = ctx.client(address);
 *     try (Connection c = listener.accept()) {
 *         c.send("hello");
 *     }
 * }
 * }</pre>
 * Every accepted peer must prove it knows the authentication key (a mutual HMAC challenge, see
 * {@link Client}); a peer that does not is refused with an {@link AuthenticationException} from
 * {@link #accept()}, and never yields a connection. The listener stays usable after a refusal.
 *
 * <p>Only the local machine can connect: a TCP listener binds to 127.0.0.1 only, and any other address
 * is refused, except by {@link #network}, which is asked for explicitly (a manager served to other machines). A Unix-domain socket file is removed by {@link #close()} (and, in the context's directory,
 * when the process exits however it exits).
 *
 * <p>Handshakes do not hold each other up: {@code accept} takes every peer that connects while it waits and
 * authenticates each on a thread of its own, and returns the first that completes, so a peer that connects and
 * says nothing delays nobody. Peers whose handshake ends after the {@code accept} that took them returned (and
 * refusals) wait for the next {@code accept}, in the order they ended, and make the listener ready in
 * {@link Connections#wait}. A peer that does not complete the handshake within 30 s is dropped, and one
 * {@code accept} reports it ({@link AuthenticationException}).
 *
 * <p>Thread-safe: concurrent {@code accept} calls each return one connection; {@code close} from another
 * thread makes a blocked {@code accept} fail with {@link ClosedConnectionException} within
 * {@value Connection#SLICE_MILLIS} ms, also while peers are being authenticated (they are dropped).
 */
public final class Listener implements Closeable {
    private static final int BACKLOG = 64;

    private final Descriptor descriptor;
    private final SocketAddress address;
    private final byte[] authkey;
    private final Supplier<Path> shareDir;
    /** Held by the {@code accept} that polls the socket for new peers; the others wait for a handshake to end. */
    private final ReentrantLock acceptLock = new ReentrantLock();
    /** The handshakes of accepted peers in progress: {@link #close()} ends them. */
    private final Set<Handshake.Deadline> handshaking = ConcurrentHashMap.newKeySet();
    /** Ended handshakes not yet returned by an accept: a {@link Connection} or the {@link IOException} to throw. */
    private final ArrayDeque<Object> ended = new ArrayDeque<>();
    /** An eventfd counting {@link #ended} (readable while it is not empty): {@code accept} and {@link Connections#wait} poll it. */
    private final Descriptor endedCount;
    private volatile boolean closedWhileAuthenticating;

    /**
     * A listener whose connections cannot travel to other processes ({@link #Listener(SocketAddress, byte[], Supplier)}).
     *
     * @param address where to listen
     * @param authkey the key peers must prove they know
     * @throws IOException as {@link #Listener(SocketAddress, byte[], Supplier)}
     */
    public Listener(SocketAddress address, byte[] authkey) throws IOException {
        this(address, authkey, null);
    }

    /**
     * Binds a listener.
     *
     * @param address  a {@link UnixDomainSocketAddress} (the file must not exist) or an {@link InetSocketAddress}
     *                 on 127.0.0.1 (port 0: any free port, see {@link #address()})
     * @param authkey  the key peers must prove they know
     * @param shareDir where accepted connections are handed to other processes from ({@code null}: they cannot travel)
     * @throws IllegalArgumentException for an address that is not local, or a path too long for a socket
     * @throws IOException when the address is in use, or the socket cannot be made
     */
    public Listener(SocketAddress address, byte[] authkey, Supplier<Path> shareDir) throws IOException {
        this(address, authkey, shareDir, false);
    }

    private Listener(SocketAddress address, byte[] authkey, Supplier<Path> shareDir, boolean network) throws IOException {
        Objects.requireNonNull(address, "address");
        this.authkey = Objects.requireNonNull(authkey, "authkey").clone();
        this.shareDir = shareDir;
        int fd = Sockets.listen(address, BACKLOG, network);
        this.descriptor = new Descriptor(fd);
        MemorySegment e = Native.errno();
        int efd = Native.semaphoreEventfd(e);
        if (efd < 0) {
            int err = Native.errno(e);
            descriptor.close();
            throw Native.error("eventfd", err);
        }
        this.endedCount = new Descriptor(efd);
        if (address instanceof InetSocketAddress in && in.getPort() == 0) {
            this.address = new InetSocketAddress(in.getAddress(), Native.boundPort(fd));
        } else {
            this.address = address;
        }
    }

    /**
     * A listener on any IPv4 address, one that other machines may reach ({@code 0.0.0.0}, an interface's
     * address), for a manager served to other machines; asked for explicitly, as every other listener binds to
     * the local machine only. Its connections stay in this process. Peers still have to prove the key.
     *
     * @param address the IPv4 address and port to bind (port 0: any free port)
     * @param authkey the key peers must prove
     * @return the listener, bound and listening
     * @throws IllegalArgumentException for an address that is not IPv4
     * @throws IOException if the socket cannot be bound
     */
    public static Listener network(InetSocketAddress address, byte[] authkey) throws IOException {
        return new Listener(address, authkey, null, true);
    }

    /**
     * The address peers connect to (with the actual port of a TCP listener bound to port 0).
     *
     * @return the address
     */
    public SocketAddress address() { return address; }

    /**
     * Waits for a peer, authenticates it, and returns the connection: the first peer whose handshake ends, among
     * those that connected before or during this call (see the class comment).
     *
     * @throws AuthenticationException when the peer whose handshake ended first did not prove the key (or refused
     *         ours, or fell silent); its connection is closed and this listener stays usable
     * @throws ClosedConnectionException when this listener is closed, before or during the call
     * @throws InterruptedIOException when the thread is interrupted while waiting (the status is kept)
     * @return the authenticated connection
     */
    public Connection accept() throws IOException {
        MemorySegment e = Native.errno();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pollfds = a.allocate(16, 8);
            while (true) {
                Object outcome = takeEnded();
                if (outcome instanceof Connection c) return c;
                if (outcome instanceof IOException failure) throw failure;
                if (isClosed()) {
                    throw new ClosedConnectionException(closedWhileAuthenticating ? "the listener was closed while authenticating a peer"
                            : "the listener was closed while accepting");
                }
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted while accepting (the interrupt status is kept)");
                if (acceptLock.tryLock()) {
                    try {
                        pollForPeers(e, pollfds);
                    } finally {
                        acceptLock.unlock();
                    }
                } else {
                    awaitEnded(e, pollfds); // another accept polls for peers: wait for a handshake to end
                }
            }
        }
    }

    private void awaitEnded(MemorySegment e, MemorySegment pollfds) {
        try {
            Native.pollfd(pollfds, 0, endedCount.acquire(), Native.POLLIN);
        } catch (ClosedConnectionException closed) {
            return; // the caller reports it
        }
        try {
            Native.poll(e, pollfds, 1, Connection.SLICE_MILLIS);
        } finally {
            endedCount.release();
        }
    }

    /** Waits one slice for a new peer or an ended handshake; starts the handshake of a new peer. Holding acceptLock. */
    private void pollForPeers(MemorySegment e, MemorySegment pollfds) throws IOException {
        int fd;
        try {
            fd = descriptor.acquire();
        } catch (ClosedConnectionException closed) {
            return; // the caller reports it
        }
        try {
            Native.pollfd(pollfds, 1, endedCount.acquire(), Native.POLLIN);
        } catch (ClosedConnectionException closed) {
            descriptor.release();
            return;
        }
        int cfd = -1;
        try {
            Native.pollfd(pollfds, 0, fd, Native.POLLIN);
            int r = Native.poll(e, pollfds, 2, Connection.SLICE_MILLIS);
            if (r < 0 && Native.errno(e) != Native.EINTR) throw Native.error("poll", Native.errno(e));
            if (r > 0 && Native.revents(pollfds, 0) != 0 && !descriptor.isClosed()) {
                cfd = Native.accept(e, fd);
                int err = cfd < 0 ? Native.errno(e) : 0;
                if (cfd < 0 && err != Native.EINTR && err != Native.EAGAIN && err != 103 /* ECONNABORTED */) throw Native.error("accept", err);
            }
        } finally {
            endedCount.release();
            descriptor.release();
        }
        if (cfd >= 0) startHandshake(cfd);
    }

    /** Authenticates the peer on {@code cfd} on a thread of its own; its outcome goes to {@link #ended}. */
    private void startHandshake(int cfd) throws IOException {
        if (address instanceof InetSocketAddress) {
            Native.setIntOption(Native.errno(), cfd, Native.IPPROTO_TCP, Native.TCP_NODELAY, 1);
        } else {
            Native.widenSendBuffer(cfd);
        }
        Connection c = Connection.wrap(cfd, true, true, shareDir);
        Handshake.Deadline deadline = new Handshake.Deadline(c);
        handshaking.add(deadline);
        if (isClosed()) deadline.abort(); // closed after the accept: close() may have missed this one
        // a platform thread: a handshake blocks in native calls, which would pin a virtual thread's carrier
        Thread.ofPlatform().daemon().name("mp4j-listener-handshake").start(() -> {
            Object outcome;
            try {
                outcome = Handshake.authenticate(c, authkey, true, deadline, "authentication of a peer");
            } catch (IOException failure) {
                outcome = failure;
            } catch (RuntimeException failure) {
                outcome = new AuthenticationException("authentication of a peer failed: " + failure, failure);
            } finally {
                deadline.close();
                handshaking.remove(deadline);
            }
            if (!(outcome instanceof ClosedConnectionException)) park(outcome);
        });
    }

    private void park(Object outcome) {
        synchronized (ended) {
            if (isClosed()) {
                if (outcome instanceof Connection c) c.close();
                return;
            }
            ended.add(outcome);
            Native.signal(endedCount.fd()); // open: it is closed under this lock, after the listener
        }
    }

    private Object takeEnded() {
        synchronized (ended) {
            Object o = ended.poll();
            if (o != null) Native.take(endedCount.fd());
            return o;
        }
    }

    /** Whether a handshake ended and waits for an accept (for {@link Connections#wait}). */
    boolean hasEnded() {
        synchronized (ended) {
            return !ended.isEmpty();
        }
    }

    /** The counter of ended handshakes, readable while some wait for an accept (for {@link Connections#wait}). */
    Descriptor endedCount() { return endedCount; }

    /**
     * Whether the listener was closed.
     *
     * @return whether it is closed
     */
    public boolean isClosed() { return descriptor.isClosed(); }

    /**
     * Stops listening and removes the socket file (idempotent). Accepted connections stay open; peers still
     * being authenticated, and those authenticated and not yet returned by an {@code accept}, are dropped, and a
     * waiting {@code accept} fails with {@link ClosedConnectionException}.
     */
    @Override
    public void close() {
        boolean first;
        synchronized (ended) {
            closedWhileAuthenticating = !handshaking.isEmpty();
            first = descriptor.close();
            for (Object o : ended) if (o instanceof Connection c) c.close();
            ended.clear();
            if (first) {
                Native.signal(endedCount.fd()); // wakes the accepts and waits polling it; closed once they let go
                endedCount.close();
                // inside the lock: a second close (a woken accept's) returns only once the file is gone
                if (address instanceof UnixDomainSocketAddress u) {
                    try {
                        Files.deleteIfExists(u.getPath());
                    } catch (IOException ignored) {
                        // the directory is going away too
                    }
                }
            }
        }
        for (Handshake.Deadline d : handshaking) d.abort();
    }

    /** The descriptor, for {@link Connections#wait}. */
    Descriptor descriptor() { return descriptor; }

    @Override
    public String toString() { return "Listener[" + address + (isClosed() ? ", closed]" : "]"); }
}
