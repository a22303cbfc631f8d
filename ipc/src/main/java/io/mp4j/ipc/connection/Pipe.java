package io.mp4j.ipc.connection;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Two connected ends: Python's {@code multiprocessing.Pipe(duplex)}, a pair of Unix-domain stream sockets.
 * Made by {@code ctx.pipe()} / {@code ctx.pipe(false)}.
 * <pre>{@code
 * Pipe pipe = ctx.pipe();
 * Connection parent = pipe.first(), child = pipe.second();
 * }</pre>
 * A duplex pipe's ends both send and receive. A one-way pipe ({@code duplex = false}) receives on
 * {@link #first()} and sends on {@link #second()}, as in Python; the other direction throws
 * {@link IllegalStateException}. Either end can be passed to another process, where it re-attaches (see
 * {@link Connection}).
 *
 * @param first  the first end (the receiving end of a one-way pipe)
 * @param second the second end (the sending end of a one-way pipe)
 */
public record Pipe(Connection first, Connection second) implements Closeable {
    /**
     * Checks both ends.
     *
     * @param first the first end
     * @param second the second end
     * @throws NullPointerException for a missing end
     */
    public Pipe {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }

    /**
     * A new pipe.
     *
     * @param duplex   both ends send and receive; if false, {@code first} only receives and {@code second} only sends
     * @param shareDir the private directory where this process's socket for handing ends to other
     *                 processes is made, on first need ({@code null}: the ends stay in this process)
     * @throws UncheckedIOException when the system has no sockets to spare (too many open files)
     * @return the pipe
     */
    public static Pipe open(boolean duplex, Supplier<Path> shareDir) {
        try {
            int[] fds = Native.socketpair();
            for (int fd : fds) Native.widenSendBuffer(fd);
            Connection a;
            try {
                a = Connection.wrap(fds[0], true, duplex, shareDir);
            } catch (IOException e) {
                Native.close(fds[1]);
                throw e;
            }
            try {
                return new Pipe(a, Connection.wrap(fds[1], duplex, true, shareDir));
            } catch (IOException e) {
                a.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a pipe: " + e.getMessage(), e);
        }
    }

    /** Closes both ends. */
    @Override
    public void close() {
        first.close();
        second.close();
    }
}
