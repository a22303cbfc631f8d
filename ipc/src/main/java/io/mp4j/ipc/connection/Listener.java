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
 * <p>Thread-safe: concurrent {@code accept} calls are served one at a time; {@code close} from another
 * thread makes a blocked {@code accept} fail with {@link ClosedConnectionException} within
 * {@value Connection#SLICE_MILLIS} ms, also while it authenticates a peer. A peer that does not complete the
 * handshake within 30 s is dropped ({@link AuthenticationException}).
 */
public final class Listener implements Closeable {
    private static final int BACKLOG = 64;

    private final Descriptor descriptor;
    private final SocketAddress address;
    private final byte[] authkey;
    private final Supplier<Path> shareDir;
    private final ReentrantLock acceptLock = new ReentrantLock();
    /** The handshakes of accepted peers in progress: {@link #close()} ends them. */
    private final Set<Handshake.Deadline> handshaking = ConcurrentHashMap.newKeySet();

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
     * Waits for a peer, authenticates it, and returns the connection.
     *
     * @throws AuthenticationException when the peer does not prove the key (or refuses ours); the peer's
     *         connection is closed and this listener stays usable
     * @throws ClosedConnectionException when this listener is closed, before or during the call
     * @throws InterruptedIOException when the thread is interrupted while waiting (the status is kept)
     * @return the authenticated connection
     */
    public Connection accept() throws IOException {
        acceptLock.lock();
        int cfd;
        try {
            int fd = descriptor.acquire();
            try {
                cfd = acceptOne(fd);
            } finally {
                descriptor.release();
            }
        } finally {
            acceptLock.unlock();
        }
        if (address instanceof InetSocketAddress) {
            Native.setIntOption(Native.errno(), cfd, Native.IPPROTO_TCP, Native.TCP_NODELAY, 1);
        } else {
            Native.widenSendBuffer(cfd);
        }
        Connection c = Connection.wrap(cfd, true, true, shareDir);
        Handshake.Deadline deadline = new Handshake.Deadline(c);
        handshaking.add(deadline);
        try {
            if (isClosed()) deadline.abort(); // closed after the accept: close() may have missed this one
            return Handshake.authenticate(c, authkey, true, deadline, "authentication of a peer");
        } finally {
            deadline.close();
            handshaking.remove(deadline);
        }
    }

    private int acceptOne(int fd) throws IOException {
        MemorySegment e = Native.errno();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment pollfd = a.allocate(8, 8);
            while (true) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted while accepting (the interrupt status is kept)");
                Native.pollfd(pollfd, 0, fd, Native.POLLIN);
                int r = Native.poll(e, pollfd, 1, Connection.SLICE_MILLIS);
                if (r < 0 && Native.errno(e) != Native.EINTR) throw Native.error("poll", Native.errno(e));
                if (descriptor.isClosed()) throw new ClosedConnectionException("the listener was closed while accepting");
                if (r > 0) {
                    int c = Native.accept(e, fd);
                    if (c >= 0) return c;
                    int err = Native.errno(e);
                    if (err != Native.EINTR && err != Native.EAGAIN && err != 103 /* ECONNABORTED */) throw Native.error("accept", err);
                }
            }
        }
    }

    /**
     * Whether the listener was closed.
     *
     * @return whether it is closed
     */
    public boolean isClosed() { return descriptor.isClosed(); }

    /**
     * Stops listening and removes the socket file (idempotent). Accepted connections stay open; a peer still
     * being authenticated is dropped, and its {@code accept} fails with {@link ClosedConnectionException}.
     */
    @Override
    public void close() {
        boolean first = descriptor.close();
        for (Handshake.Deadline d : handshaking) d.abort();
        if (first && address instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException ignored) {
                // the directory is going away too
            }
        }
    }

    /** The descriptor, for {@link Connections#wait}. */
    Descriptor descriptor() { return descriptor; }

    @Override
    public String toString() { return "Listener[" + address + (isClosed() ? ", closed]" : "]"); }
}
