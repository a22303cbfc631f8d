package io.mp4j.ipc.connection;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/** Opening sockets, and blocking whole reads and writes for the short exchanges of set-up protocols. */
final class Sockets {
    private static final int EADDRINUSE = 98, ECONNREFUSED = 111, ENOENT = 2;

    private Sockets() {}

    /** A listening socket bound to {@code address} (a Unix-domain path or 127.0.0.1). */
    static int listen(SocketAddress address, int backlog) throws IOException { return listen(address, backlog, false); }

    /** {@link #listen(SocketAddress, int)}; with {@code network}, on any IPv4 address. */
    static int listen(SocketAddress address, int backlog, boolean network) throws IOException {
        MemorySegment e = Native.errno();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = Native.sockaddr(a, address, network);
            int family = Native.family(address);
            int fd = Native.socket(e, family);
            if (fd < 0) throw Native.error("socket", Native.errno(e));
            try {
                if (family == Native.AF_INET) Native.setIntOption(e, fd, Native.SOL_SOCKET, Native.SO_REUSEADDR, 1);
                if (Native.bind(e, fd, addr) < 0) {
                    int err = Native.errno(e);
                    throw err == EADDRINUSE ? new IOException("address already in use: " + address)
                            : Native.error("cannot bind to " + address, err);
                }
                if (Native.listen(e, fd, backlog) < 0) throw Native.error("listen on " + address, Native.errno(e));
                return fd;
            } catch (IOException | RuntimeException ex) {
                Native.close(fd);
                throw ex;
            }
        }
    }

    /** A socket connected to {@code address}; TCP ones without Nagle's delay. */
    static int connect(SocketAddress address) throws IOException { return connect(address, false); }

    /** {@link #connect(SocketAddress)}; with {@code network}, to any IPv4 address. */
    static int connect(SocketAddress address, boolean network) throws IOException {
        MemorySegment e = Native.errno();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = Native.sockaddr(a, address, network);
            int family = Native.family(address);
            int fd = Native.socket(e, family);
            if (fd < 0) throw Native.error("socket", Native.errno(e));
            try {
                int r;
                do {
                    r = Native.connect(e, fd, addr);
                } while (r < 0 && Native.errno(e) == Native.EINTR);
                if (r < 0) {
                    int err = Native.errno(e);
                    if (err == ECONNREFUSED || err == ENOENT) {
                        throw new java.net.ConnectException("nobody listens at " + address + " (" + Native.strerror(err) + ")");
                    }
                    throw Native.error("cannot connect to " + address, err);
                }
                if (family == Native.AF_INET) Native.setIntOption(e, fd, Native.IPPROTO_TCP, Native.TCP_NODELAY, 1);
                else Native.widenSendBuffer(fd);
                return fd;
            } catch (IOException | RuntimeException ex) {
                Native.close(fd);
                throw ex;
            }
        }
    }

    /** Reads exactly {@code n} bytes (the socket's receive timeout, if any, ends the wait with an error). */
    static void readFully(MemorySegment e, int fd, MemorySegment into, long n) throws IOException {
        long done = 0;
        while (done < n) {
            long r = Native.recvAt(e, fd, into.address() + done, n - done, 0);
            if (r > 0) done += r;
            else if (r == 0) throw new EOFException("the peer closed the socket after " + done + " of " + n + " bytes");
            else if (Native.errno(e) == Native.EAGAIN) throw new IOException("timed out waiting for the peer");
            else if (Native.errno(e) != Native.EINTR) throw Native.error("recv", Native.errno(e));
        }
    }

    /** Writes exactly {@code n} bytes (blocking). */
    static void writeFully(MemorySegment e, int fd, MemorySegment from, long n) throws IOException {
        long done = 0;
        while (done < n) {
            long r = Native.sendAt(e, fd, from.address() + done, n - done, Native.MSG_NOSIGNAL);
            if (r >= 0) done += r;
            else if (Native.errno(e) == Native.EAGAIN) throw new IOException("timed out waiting for the peer");
            else if (Native.errno(e) != Native.EINTR) throw Native.error("send", Native.errno(e));
        }
    }
}
