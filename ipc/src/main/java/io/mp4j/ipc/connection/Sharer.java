package io.mp4j.ipc.connection;

import io.mp4j.ipc.codec.Codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Hands connection ends to other processes, as Python's {@code resource_sharer}: the socket itself moves
 * (its descriptor is passed with {@code SCM_RIGHTS}), so the data path stays direct between the two final
 * holders and nothing queued in the socket is lost.
 *
 * <p>Encoding an end ({@link #share}) reserves a duplicate of its descriptor, plus any bytes this process
 * had read ahead, under a random one-time secret, and yields a {@link Handle}: the path of this
 * process's sharer socket (in the context's private directory), the reservation id and the secret. The
 * process that decodes the handle ({@link #attach}) connects to that socket, presents id and secret, and
 * receives the descriptor and the bytes. The reservation is then released; an unclaimed one lives until
 * this process exits (a child that dies before attaching leaves it: the peer then sees no end-of-file
 * until this process closes its own copy and exits).
 *
 * <p>Decoding a handle in the process that made it gives back the original end object. The parent's own check
 * of a launch message ({@link Codec#checkOnly}) leaves the reservation for the child; any other such decoding (a
 * THREAD pool's task) takes the reservation back: the duplicate is closed and the read-ahead bytes return to the
 * end's buffer, so that the end behaves as if it had never travelled.
 *
 * <p>Wire protocol on the sharer socket: the claimant sends {@code long id} and the 32-byte secret; the
 * sharer answers {@code int status} (0 = granted) and {@code int n} with the descriptor attached, then
 * {@code n} read-ahead bytes, and closes.
 */
final class Sharer {
    /** What travels in place of a connection end. */
    record Handle(String socket, long id, String secret, long pid, boolean readable, boolean writable) {}

    private record Reservation(int fd, byte[] secret, byte[] prefix, Connection original) {}

    private static final ConcurrentHashMap<Path, Sharer> BY_DIR = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Reservation> RESERVED = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final int SECRET_BYTES = 32, REQUEST_BYTES = 8 + SECRET_BYTES, REPLY_BYTES = 8;
    private static final int CLAIM_TIMEOUT_MILLIS = 30_000;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final class Random {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    private final Path socket;
    private final int listenFd;

    private Sharer(Path socket, int listenFd) {
        this.socket = socket;
        this.listenFd = listenFd;
    }

    // ------------------------------------------------------------------ the owner's side

    static Handle share(Connection c) {
        Supplier<Path> dirs = c.shareDir();
        if (dirs == null) {
            throw new IllegalStateException("this connection cannot travel to another process: it was not made by a context"
                    + " (make it with ctx.pipe(), ctx.listener() or ctx.client())");
        }
        if (c.isClosed()) throw new IllegalStateException("a closed connection cannot travel to another process: " + c);
        Sharer sharer = BY_DIR.computeIfAbsent(dirs.get().toAbsolutePath(), Sharer::start);
        Descriptor d = c.descriptor();
        int dup;
        try {
            int fd = d.acquire();
            try {
                MemorySegment e = Native.errno();
                dup = Native.dup(e, fd);
                if (dup < 0) throw Native.error("fcntl(F_DUPFD_CLOEXEC)", Native.errno(e));
            } finally {
                d.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot share " + c + ": " + e.getMessage(), e);
        }
        byte[] prefix = new byte[0];
        Receiver r = c.receiver();
        // A thread blocked in a receive keeps what it reads; otherwise read-ahead bytes move with the end.
        if (r != null && r.lock.tryLock()) {
            try {
                prefix = r.drain();
            } catch (RuntimeException e) {
                Native.close(dup);
                throw e;
            } finally {
                r.lock.unlock();
            }
        }
        byte[] secret = new byte[SECRET_BYTES];
        Random.RANDOM.nextBytes(secret);
        long id = IDS.incrementAndGet();
        RESERVED.put(id, new Reservation(dup, secret, prefix, c));
        return new Handle(sharer.socket.toString(), id, HexFormat.of().formatHex(secret), PID, c.isReadable(), c.isWritable());
    }

    private static Sharer start(Path dir) {
        // a random suffix: a socket file left by an earlier process with the same pid (SIGKILL) is not in the way
        Path path = dir.resolve("share-" + PID + "-" + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt()) + ".sock");
        try {
            int fd = Sockets.listen(UnixDomainSocketAddress.of(path), 64);
            path.toFile().deleteOnExit();
            Sharer s = new Sharer(path, fd);
            Thread t = new Thread(s::serve, "mp4j-connection-sharer");
            t.setDaemon(true);
            t.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the connection sharer at " + path + ": " + e.getMessage(), e);
        }
    }

    private void serve() {
        MemorySegment e = Native.newErrno();
        while (true) {
            int cfd = Native.accept(e, listenFd);
            if (cfd < 0) {
                int err = Native.errno(e);
                if (err == Native.EINTR || err == Native.EAGAIN || err == 103 /* ECONNABORTED */) continue;
                return; // the listening socket is gone
            }
            try (Arena arena = Arena.ofConfined()) {
                grant(e, arena, cfd);
            } catch (IOException | RuntimeException ex) {
                // a claimant that went away or sent garbage: it gets nothing
            } finally {
                Native.close(cfd);
            }
        }
    }

    private static void grant(MemorySegment e, Arena arena, int cfd) throws IOException {
        Native.setTimeout(e, cfd, Native.SO_RCVTIMEO, CLAIM_TIMEOUT_MILLIS);
        Native.setTimeout(e, cfd, Native.SO_SNDTIMEO, CLAIM_TIMEOUT_MILLIS);
        MemorySegment req = arena.allocate(REQUEST_BYTES);
        Sockets.readFully(e, cfd, req, REQUEST_BYTES);
        long id = req.get(LONG, 0);
        byte[] secret = req.asSlice(8, SECRET_BYTES).toArray(ValueLayout.JAVA_BYTE);
        Reservation r = RESERVED.get(id);
        MemorySegment reply = arena.allocate(REPLY_BYTES);
        if (r == null || !MessageDigest.isEqual(r.secret(), secret) || !RESERVED.remove(id, r)) {
            reply.set(INT, 0, 1);
            Sockets.writeFully(e, cfd, reply, REPLY_BYTES);
            return;
        }
        try {
            reply.set(INT, 0, 0);
            reply.set(INT, 4, r.prefix().length);
            sendWithDescriptor(e, arena, cfd, reply, r.fd());
            if (r.prefix().length > 0) {
                MemorySegment p = arena.allocate(r.prefix().length);
                MemorySegment.copy(r.prefix(), 0, p, ValueLayout.JAVA_BYTE, 0, r.prefix().length);
                Sockets.writeFully(e, cfd, p, r.prefix().length);
            }
        } finally {
            Native.close(r.fd());
        }
    }

    // msghdr (LP64): name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48; size 56.
    // cmsghdr: len 0 (size_t), level 8, type 12, data 16; CMSG_SPACE(4) = 24, CMSG_LEN(4) = 20.
    private static void sendWithDescriptor(MemorySegment e, Arena arena, int cfd, MemorySegment data, int fd) throws IOException {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(ValueLayout.ADDRESS, 0, data);
        iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
        MemorySegment control = arena.allocate(24, 8);
        control.set(ValueLayout.JAVA_LONG, 0, 20L);
        control.set(ValueLayout.JAVA_INT, 8, Native.SOL_SOCKET);
        control.set(ValueLayout.JAVA_INT, 12, Native.SCM_RIGHTS);
        control.set(ValueLayout.JAVA_INT, 16, fd);
        MemorySegment msg = arena.allocate(56, 8);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, 1L);
        msg.set(ValueLayout.ADDRESS, 32, control);
        msg.set(ValueLayout.JAVA_LONG, 40, 24L);
        long n;
        do {
            n = Native.sendmsg(e, cfd, msg, Native.MSG_NOSIGNAL);
        } while (n < 0 && Native.errno(e) == Native.EINTR);
        if (n < 0) throw Native.error("sendmsg", Native.errno(e));
        if (n < data.byteSize()) Sockets.writeFully(e, cfd, data.asSlice(n), data.byteSize() - n);
    }

    // ------------------------------------------------------------------ the claimant's side

    static Connection attach(Handle h) {
        if (h == null || h.socket() == null || h.secret() == null) throw new IllegalArgumentException("incomplete connection handle: " + h);
        if (h.pid() == PID) return reclaim(h);
        try {
            return claim(h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach the connection end shared by process " + h.pid()
                    + " (socket " + h.socket() + "): " + e.getMessage(), e);
        }
    }

    /**
     * A handle decoded in the process that shared the end: the original end. A check ({@link Codec#isCheckOnly()})
     * leaves the reservation for the process the message is for; any other decoding (a THREAD pool's task, an end
     * sent to a thread of this very process) takes it: the duplicate descriptor is closed, so that closing the end
     * closes the socket, and the bytes read ahead go back in front of the end's buffer.
     */
    private static Connection reclaim(Handle h) {
        Reservation r = RESERVED.get(h.id());
        boolean held = r != null && MessageDigest.isEqual(r.secret(), HexFormat.of().parseHex(h.secret()));
        if (held && Codec.isCheckOnly()) return r.original();
        if (!held || !RESERVED.remove(h.id(), r)) {
            throw new IllegalStateException("this connection end was already attached elsewhere: id=" + h.id());
        }
        Native.close(r.fd());
        Receiver receiver = r.original().receiver();
        if (receiver != null && !r.original().isClosed()) receiver.restore(r.prefix());
        return r.original();
    }

    private static Connection claim(Handle h) throws IOException {
        MemorySegment e = Native.errno();
        int fd = Sockets.connect(UnixDomainSocketAddress.of(h.socket()));
        int received = -1;
        byte[] prefix;
        try (Arena arena = Arena.ofConfined()) {
            Native.setTimeout(e, fd, Native.SO_RCVTIMEO, CLAIM_TIMEOUT_MILLIS);
            MemorySegment req = arena.allocate(REQUEST_BYTES);
            req.set(LONG, 0, h.id());
            MemorySegment.copy(HexFormat.of().parseHex(h.secret()), 0, req, ValueLayout.JAVA_BYTE, 8, SECRET_BYTES);
            Sockets.writeFully(e, fd, req, REQUEST_BYTES);

            MemorySegment reply = arena.allocate(REPLY_BYTES);
            MemorySegment iov = arena.allocate(16, 8);
            iov.set(ValueLayout.ADDRESS, 0, reply);
            iov.set(ValueLayout.JAVA_LONG, 8, REPLY_BYTES);
            MemorySegment control = arena.allocate(24, 8);
            MemorySegment msg = arena.allocate(56, 8);
            msg.set(ValueLayout.ADDRESS, 16, iov);
            msg.set(ValueLayout.JAVA_LONG, 24, 1L);
            msg.set(ValueLayout.ADDRESS, 32, control);
            msg.set(ValueLayout.JAVA_LONG, 40, 24L);
            long n;
            do {
                n = Native.recvmsg(e, fd, msg, Native.MSG_CMSG_CLOEXEC);
            } while (n < 0 && Native.errno(e) == Native.EINTR);
            if (n < 0) throw Native.error("recvmsg", Native.errno(e));
            if (msg.get(ValueLayout.JAVA_LONG, 40) >= 20 && control.get(ValueLayout.JAVA_INT, 8) == Native.SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, 12) == Native.SCM_RIGHTS) {
                received = control.get(ValueLayout.JAVA_INT, 16);
            }
            if (n == 0) throw new IOException("the sharing process closed the socket without answering");
            if (n < REPLY_BYTES) Sockets.readFully(e, fd, reply.asSlice(n), REPLY_BYTES - n);
            int status = reply.get(INT, 0);
            if (status != 0) throw new IOException("the sharing process refused the claim (already attached elsewhere, or not shared): id=" + h.id());
            if (received < 0) throw new IOException("the sharing process sent no descriptor");
            int len = reply.get(INT, 4);
            if (len < 0 || len > Receiver.CAPACITY) throw new IOException("corrupt answer from the sharing process: prefix length=" + len);
            MemorySegment p = arena.allocate(Math.max(1, len));
            Sockets.readFully(e, fd, p, len);
            prefix = p.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
        } catch (IOException | RuntimeException ex) {
            if (received >= 0) Native.close(received);
            throw ex;
        } finally {
            Native.close(fd);
        }
        Path dir = Path.of(h.socket()).getParent();
        Connection c = Connection.wrap(received, h.readable(), h.writable(), () -> dir);
        if (c.receiver() != null) c.receiver().prefill(prefix);
        return c;
    }
}
