package io.mp4j.ipc.connection;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The socket system calls of Linux (x86-64 and aarch64 share these constants), through the JDK's
 * foreign-function API. Plain {@code SocketChannel} cannot pass a descriptor to another process
 * ({@code SCM_RIGHTS}) nor poll one with a timeout while it is in blocking mode; both are needed here.
 *
 * <p>Every call takes an {@code errno} capture segment (see {@link #newErrno}); a connection keeps one per
 * reading and one per writing thread so that the per-message path allocates nothing. Calls that copy
 * to or from a heap array are linked {@code critical} and are only ever made with {@link #MSG_DONTWAIT},
 * so they never block (a blocked critical call would hold off the garbage collector).
 */
final class Native {
    private Native() {}

    static final int AF_UNIX = 1, AF_INET = 2;
    static final int SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21;
    static final int SCM_RIGHTS = 1;
    static final int IPPROTO_TCP = 6, TCP_NODELAY = 1;
    static final int MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    static final short POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;
    static final int EINTR = 4, EAGAIN = 11, EPIPE = 32, ECONNRESET = 104;
    static final int EFD_SEMAPHORE = 1, EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;
    /**
     * The send buffer asked for on Unix-domain connections (the kernel doubles it for its bookkeeping and caps it
     * at {@code net.core.wmem_max}): a Unix-domain stream socket holds at most this much of a message in flight,
     * and with the default (208 KiB) a 1 MiB message makes its sender wait four times for the receiver, which
     * in a JVM is busy allocating and zeroing the message's array meanwhile (docs/journal/2026-12-07-figures-from-code-comments.md#pipes).
     * Only a limit: nothing is allocated until data waits in it.
     */
    static final int SEND_BUFFER_BYTES = 1 << 20;
    /** Longest path a {@code sockaddr_un} holds, without its terminating zero. */
    static final int MAX_UNIX_PATH = 107;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"))
            .withInvokeExactBehavior();
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final int F_DUPFD_CLOEXEC = 1030;


    // Handles are linked per group on first use: linking is costly in a fresh JVM, and a child
    // that only attaches a pipe end needs a few of them.
    private static final class Io {
        static final MethodHandle POLL = link("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), false);
        static final MethodHandle SEND_AT = link("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), false);
        static final MethodHandle RECV_AT = link("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), false);
        static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    }

    private static final class Heap {
        static final MethodHandle SEND_HEAP = link("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
        static final MethodHandle RECV_HEAP = link("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
    }

    private static final class Msg {
        static final MethodHandle SENDMSG = link("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), false);
        static final MethodHandle RECVMSG = link("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), false);
    }

    /** What a process that only connects (or attaches a pipe end) needs. */
    private static final class Connect {
        static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), false);
        static final MethodHandle CONNECT = link("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
        static final MethodHandle SETSOCKOPT = link("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
    }

    private static final class Setup {
        static final MethodHandle SOCKETPAIR = link("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), false);
        static final MethodHandle BIND = link("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), false);
        static final MethodHandle LISTEN = link("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);
        static final MethodHandle ACCEPT4 = link("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), false);
        static final MethodHandle GETSOCKNAME = link("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);
        static final MethodHandle GETSOCKOPT = link("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), false);
        static final MethodHandle DUP = link("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), false);
        static final MethodHandle EVENTFD = link("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), false);
        static final MethodHandle WRITE = link("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), false);
        static final MethodHandle READ = link("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), false);
    }

    private static final class Err {
        static final MethodHandle STRERROR = io.mp4j.ipc.Libc.link("strerror",
            FunctionDescriptor.of(ADDRESS.withTargetLayout(java.lang.foreign.MemoryLayout.sequenceLayout(256, JAVA_BYTE)), JAVA_INT));
    }

    private static MethodHandle link(String name, FunctionDescriptor fd, boolean heap) {
        return heap ? io.mp4j.ipc.Libc.link(name, fd, ERRNO_OPTION, Linker.Option.critical(true))
                : io.mp4j.ipc.Libc.link(name, fd, ERRNO_OPTION);
    }

    /** Links every group of calls now (for a JVM warming up ahead of need). */
    static void linkAll() {
        java.util.Objects.requireNonNull(Io.POLL);
        java.util.Objects.requireNonNull(Heap.RECV_HEAP);
        java.util.Objects.requireNonNull(Msg.RECVMSG);
        java.util.Objects.requireNonNull(Connect.CONNECT);
        java.util.Objects.requireNonNull(Setup.ACCEPT4);
        java.util.Objects.requireNonNull(Err.STRERROR);
    }

    /** A segment to capture {@code errno} into; one per thread that makes calls. */
    static MemorySegment newErrno() { return Arena.ofAuto().allocate(CAPTURE); }

    private static final ThreadLocal<MemorySegment> ERRNO_OF_THREAD = ThreadLocal.withInitial(Native::newErrno);

    /** This thread's capture segment, for calls off the per-message path. */
    static MemorySegment errno() { return ERRNO_OF_THREAD.get(); }

    static int errno(MemorySegment e) { return (int) ERRNO.get(e, 0L); }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Err.STRERROR.invokeExact(errno);
            return s.getString(0, StandardCharsets.UTF_8);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** An {@code IOException} for a failed call: "{@code what}: {@code strerror} (errno=N)". */
    static IOException error(String what, int errno) {
        return new IOException(what + ": " + strerror(errno) + " (errno=" + errno + ")");
    }

    // ------------------------------------------------------------------ calls (return -1 and set errno on failure)

    static int socket(MemorySegment e, int family) {
        try { return (int) Connect.SOCKET.invokeExact(e, family, SOCK_STREAM | SOCK_CLOEXEC, 0); } catch (Throwable t) { throw fatal(t); }
    }

    /** Two connected Unix-domain stream sockets, or throws. */
    static int[] socketpair() throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fds = a.allocate(8);
            MemorySegment e = errno();
            int r = (int) Setup.SOCKETPAIR.invokeExact(e, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds);
            if (r < 0) throw error("socketpair", errno(e));
            return new int[]{fds.get(JAVA_INT, 0), fds.get(JAVA_INT, 4)};
        } catch (IOException ex) {
            throw ex;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    static int bind(MemorySegment e, int fd, MemorySegment addr) {
        try { return (int) Setup.BIND.invokeExact(e, fd, addr, (int) addr.byteSize()); } catch (Throwable t) { throw fatal(t); }
    }

    static int listen(MemorySegment e, int fd, int backlog) {
        try { return (int) Setup.LISTEN.invokeExact(e, fd, backlog); } catch (Throwable t) { throw fatal(t); }
    }

    static int accept(MemorySegment e, int fd) {
        try { return (int) Setup.ACCEPT4.invokeExact(e, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC); } catch (Throwable t) { throw fatal(t); }
    }

    static int connect(MemorySegment e, int fd, MemorySegment addr) {
        try { return (int) Connect.CONNECT.invokeExact(e, fd, addr, (int) addr.byteSize()); } catch (Throwable t) { throw fatal(t); }
    }

    static int setIntOption(MemorySegment e, int fd, int level, int option, int value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            v.set(JAVA_INT, 0, value);
            return (int) Connect.SETSOCKOPT.invokeExact(e, fd, level, option, v, 4);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** An integer socket option, or throws. */
    static int intOption(int fd, int level, int option) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 4);
            MemorySegment e = errno();
            int r = (int) Setup.GETSOCKOPT.invokeExact(e, fd, level, option, v, len);
            if (r < 0) throw error("getsockopt", errno(e));
            return v.get(JAVA_INT, 0);
        } catch (IOException ex) {
            throw ex;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** Asks for a {@link #SEND_BUFFER_BYTES} send buffer on a Unix-domain socket; where refused, the default stays. */
    static void widenSendBuffer(int fd) {
        setIntOption(errno(), fd, SOL_SOCKET, SO_SNDBUF, SEND_BUFFER_BYTES);
    }

    /** Sets {@code SO_RCVTIMEO} or {@code SO_SNDTIMEO} ({@code struct timeval}). */
    static int setTimeout(MemorySegment e, int fd, int option, long millis) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(16, 8);
            tv.set(JAVA_LONG, 0, millis / 1000);
            tv.set(JAVA_LONG, 8, (millis % 1000) * 1000);
            return (int) Connect.SETSOCKOPT.invokeExact(e, fd, SOL_SOCKET, option, tv, 16);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** {@code recv} into native memory at a raw address; may block (up to {@code SO_RCVTIMEO}). */
    static long recvAt(MemorySegment e, int fd, long address, long len, int flags) {
        try { return (long) Io.RECV_AT.invokeExact(e, fd, address, len, flags); } catch (Throwable t) { throw fatal(t); }
    }

    /** {@code send} from native memory at a raw address. */
    static long sendAt(MemorySegment e, int fd, long address, long len, int flags) {
        try { return (long) Io.SEND_AT.invokeExact(e, fd, address, len, flags); } catch (Throwable t) { throw fatal(t); }
    }

    /** Non-blocking {@code send} straight from a heap array (no copy into native memory). */
    static long sendHeapNow(MemorySegment e, int fd, MemorySegment heap, long len) {
        try { return (long) Heap.SEND_HEAP.invokeExact(e, fd, heap, len, MSG_DONTWAIT | MSG_NOSIGNAL); } catch (Throwable t) { throw fatal(t); }
    }

    /** Non-blocking {@code recv} straight into a heap array. */
    static long recvHeapNow(MemorySegment e, int fd, MemorySegment heap, long len) {
        try { return (long) Heap.RECV_HEAP.invokeExact(e, fd, heap, len, MSG_DONTWAIT); } catch (Throwable t) { throw fatal(t); }
    }

    static long sendmsg(MemorySegment e, int fd, MemorySegment msghdr, int flags) {
        try { return (long) Msg.SENDMSG.invokeExact(e, fd, msghdr, flags); } catch (Throwable t) { throw fatal(t); }
    }

    static long recvmsg(MemorySegment e, int fd, MemorySegment msghdr, int flags) {
        try { return (long) Msg.RECVMSG.invokeExact(e, fd, msghdr, flags); } catch (Throwable t) { throw fatal(t); }
    }

    /** {@code poll} over {@code n} {@code struct pollfd} entries (8 bytes each: fd, events, revents). */
    static int poll(MemorySegment e, MemorySegment pollfds, long n, int timeoutMillis) {
        try { return (int) Io.POLL.invokeExact(e, pollfds, n, timeoutMillis); } catch (Throwable t) { throw fatal(t); }
    }

    static int close(int fd) {
        try { return (int) Io.CLOSE.invokeExact(errno(), fd); } catch (Throwable t) { throw fatal(t); }
    }

    /** A duplicate of {@code fd} (close-on-exec), or -1. */
    static int dup(MemorySegment e, int fd) {
        try { return (int) Setup.DUP.invokeExact(e, fd, F_DUPFD_CLOEXEC, 0); } catch (Throwable t) { throw fatal(t); }
    }

    static int eventfd(MemorySegment e) {
        try { return (int) Setup.EVENTFD.invokeExact(e, 0, EFD_NONBLOCK | EFD_CLOEXEC); } catch (Throwable t) { throw fatal(t); }
    }

    /** A counting eventfd ({@code EFD_SEMAPHORE}): readable while its counter is above zero; each {@link #take} subtracts one. */
    static int semaphoreEventfd(MemorySegment e) {
        try {
            return (int) Setup.EVENTFD.invokeExact(e, 0, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** Subtracts one from a counting eventfd's counter; false when it was zero. */
    static boolean take(int eventfd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocate(JAVA_LONG);
            return (long) Setup.READ.invokeExact(errno(), eventfd, value, 8L) == 8;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    /** Adds one to an eventfd's counter (makes it readable). */
    static void signal(int eventfd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            long ignored = (long) Setup.WRITE.invokeExact(errno(), eventfd, one, 8L);
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    // ------------------------------------------------------------------ pollfd

    static void pollfd(MemorySegment pollfds, int index, int fd, short events) {
        pollfds.set(JAVA_INT, index * 8L, fd);
        pollfds.set(JAVA_SHORT, index * 8L + 4, events);
        pollfds.set(JAVA_SHORT, index * 8L + 6, (short) 0);
    }

    static short revents(MemorySegment pollfds, int index) { return pollfds.get(JAVA_SHORT, index * 8L + 6); }

    // ------------------------------------------------------------------ addresses

    /**
     * A {@code sockaddr_un} or {@code sockaddr_in} for {@code address}: a Unix-domain path, or an IPv4
     * loopback address (anything else is refused: listeners bind to the local machine only).
     */
    static MemorySegment sockaddr(Arena arena, SocketAddress address) { return sockaddr(arena, address, false); }

    /** {@link #sockaddr(Arena, SocketAddress)}, also for any IPv4 address when {@code network} (asked for explicitly). */
    static MemorySegment sockaddr(Arena arena, SocketAddress address, boolean network) {
        if (address instanceof UnixDomainSocketAddress u) {
            byte[] path = u.getPath().toString().getBytes(StandardCharsets.UTF_8);
            if (path.length == 0 || path.length > MAX_UNIX_PATH) {
                throw new IllegalArgumentException("a Unix-domain socket path must have 1 to " + MAX_UNIX_PATH
                        + " bytes: path=" + u.getPath() + " (" + path.length + " bytes)");
            }
            MemorySegment s = arena.allocate(2 + 108);
            s.set(JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(path, 0, s, JAVA_BYTE, 2, path.length);
            return s;
        }
        if (address instanceof InetSocketAddress in) {
            InetAddress a = in.getAddress();
            if (a == null || !(a instanceof java.net.Inet4Address) || !(network || a.isLoopbackAddress())) {
                throw new IllegalArgumentException("only the local machine's IPv4 loopback (127.0.0.1) is supported: address=" + address);
            }
            MemorySegment s = arena.allocate(16);
            s.set(JAVA_SHORT, 0, (short) AF_INET);
            s.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) in.getPort());
            MemorySegment.copy(a.getAddress(), 0, s, JAVA_BYTE, 4, 4);
            return s;
        }
        throw new IllegalArgumentException("unsupported address (expected a UnixDomainSocketAddress or an InetSocketAddress on 127.0.0.1): address=" + address);
    }

    static int family(SocketAddress address) { return address instanceof UnixDomainSocketAddress ? AF_UNIX : AF_INET; }

    /** The port a TCP socket is bound to. */
    static int boundPort(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(16);
            MemorySegment len = a.allocate(JAVA_INT);
            len.set(JAVA_INT, 0, 16);
            MemorySegment e = errno();
            int r = (int) Setup.GETSOCKNAME.invokeExact(e, fd, s, len);
            if (r < 0) throw error("getsockname", errno(e));
            return Short.toUnsignedInt(s.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
        } catch (IOException ex) {
            throw ex;
        } catch (Throwable t) {
            throw fatal(t);
        }
    }

    private static RuntimeException fatal(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error err) throw err;
        return new IllegalStateException(t);
    }
}
