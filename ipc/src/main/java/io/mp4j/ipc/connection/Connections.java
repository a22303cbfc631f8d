package io.mp4j.ipc.connection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * Waiting on many connections at once: Python's {@code multiprocessing.connection.wait}.
 * <pre>{@code
 * CompletableFuture<Integer> died = child.onExit();
 * for (Object ready : Connections.wait(List.of(conn, died), Duration.ofSeconds(5))) {
 *     if (ready == conn) System.out.println(conn.recv());
 *     else System.out.println("the child exited");
 * }
 * }</pre>
 */
public final class Connections {
    private Connections() {}

    /**
     * Prepares this JVM to use connections: links the native calls, runs the receive, send and
     * handle-decoding paths once on a private pipe, and computes a handshake's digest once. A pre-started JVM (a FORK standby, a fork server)
     * calls it ahead of need, so that its first task that attaches a connection end does not pay for
     * this (class loading, linking and interpretation: costly in a fresh JVM). Idempotent; cheap after the first call.
     */
    public static void warmUp() {
        try (Pipe p = Pipe.open(true, null)) {
            for (int i = 0; i < 50; i++) {
                p.first().send(i);
                p.second().recv();
                p.second().sendBytes(new byte[Receiver.CAPACITY + 1]);
                p.first().recvBytes();
            }
            Native.linkAll();
            warmHandshake(p);
            Sharer.Handle h = new Sharer.Handle("/warm.sock", 1, "00", -1, true, true);
            io.mp4j.ipc.codec.Codec.decode(io.mp4j.ipc.codec.Codec.encode(h, Sharer.Handle.class), Sharer.Handle.class);
        } catch (IOException | RuntimeException e) {
            // a JVM that cannot warm up still works: it pays on first use
        }
    }

    /**
     * Runs both sides of the authentication handshake once over {@code p}, and a socket's connect and bind: a
     * JVM's first handshake loads the JDK's digest and random-number providers and starts the deadline timer,
     * and its first connect and bind spin the method handles of their native calls, which a listener's or a
     * client's first use (a manager's server, a proxy's first call) should not pay for (docs/journal, managers).
     */
    private static void warmHandshake(Pipe p) throws IOException {
        byte[] key = {1};
        Thread listener = Thread.ofPlatform().daemon(true).name("mp4j-warm-handshake").start(() -> {
            try (Handshake.Deadline d = new Handshake.Deadline(p.first())) {
                Handshake.authenticate(p.first(), key, true, d, "warm-up");
            } catch (IOException ignored) {
                // the client side fails too, and says so
            }
        });
        try (Handshake.Deadline d = new Handshake.Deadline(p.second())) {
            Handshake.authenticate(p.second(), key, false, d, "warm-up");
        }
        try {
            listener.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a connect and a bind that fail at once (no such directory) run the calls a client's and a listener's
        // first socket makes, leaving no file
        java.net.UnixDomainSocketAddress nowhere = java.net.UnixDomainSocketAddress.of("/nonexistent-mp4j-warm-up/s.sock");
        try {
            Native.close(Sockets.connect(nowhere));
        } catch (IOException expected) {
            // ENOENT
        }
        try {
            Native.close(Sockets.listen(nowhere, 1));
        } catch (IOException expected) {
            // ENOENT
        }
    }

    /**
     * {@link #wait(Collection, long, TimeUnit)} without a timeout.
     *
     * @param <T> the objects' type
     * @param objects connections, listeners and completion stages
     * @return the ready ones
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public static <T> List<T> wait(Collection<? extends T> objects) throws InterruptedException {
        return await(objects, Long.MAX_VALUE);
    }

    /**
     * {@link #wait(Collection, long, TimeUnit)} with a {@link Duration}.
     *
     * @param <T> the objects' type
     * @param objects connections, listeners and completion stages
     * @param timeout the longest wait
     * @return the ready ones, empty after a timeout
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public static <T> List<T> wait(Collection<? extends T> objects, Duration timeout) throws InterruptedException {
        return wait(objects, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits until at least one of {@code objects} is ready, or the timeout passes; returns the ready ones,
     * in the order given (empty after a timeout). Ready means:
     * <ul>
     * <li>a {@link Connection}: a receive would not block: a message (or part of one) is there, or the peer
     *     has closed its end, or this end was closed (the receive then throws);</li>
     * <li>a {@link Listener}: a peer is waiting to be accepted, or a peer's handshake ended and waits for an
     *     {@code accept} (or the listener was closed);</li>
     * <li>a {@link CompletionStage}, such as a process's {@code onExit()}: it has completed, normally or
     *     not. This is how a parent waits for "a message or a child's death".</li>
     * </ul>
     *
     * A timeout of zero or less does not wait: it returns the objects ready now.
     *
     * @throws IllegalArgumentException for any other object, or a send-only connection
     * @throws InterruptedException when the thread is interrupted while waiting
     * @param <T> the objects' type
     * @param objects connections, listeners and completion stages
     * @param timeout the longest wait
     * @param unit the unit of {@code timeout}
     * @return the ready ones, empty after a timeout
     */
    public static <T> List<T> wait(Collection<? extends T> objects, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        return await(objects, nanos == Long.MAX_VALUE ? Long.MAX_VALUE - 1 : nanos);
    }

    private static <T> List<T> await(Collection<? extends T> objects, long nanos) throws InterruptedException {
        Objects.requireNonNull(objects, "objects");
        List<T> items = new ArrayList<>(objects);
        int n = items.size();
        Descriptor[] fds = new Descriptor[n];
        Descriptor[] alsoFds = new Descriptor[n]; // a listener's count of ended handshakes
        boolean[] ready = new boolean[n];
        List<CompletionStage<?>> stages = new ArrayList<>();
        boolean any = false;
        long pollNanos = 0;
        for (int i = 0; i < n; i++) {
            Object o = items.get(i);
            switch (o) {
                case Connection c -> {
                    if (!c.isReadable()) throw new IllegalArgumentException("cannot wait on a send-only connection: " + c);
                    fds[i] = c.descriptor();
                    ready[i] = c.isClosed() || hasBuffered(c.receiver());
                    pollNanos = Math.max(pollNanos, c.receiver().spinNanos());
                }
                case Listener l -> {
                    fds[i] = l.descriptor();
                    alsoFds[i] = l.endedCount();
                    ready[i] = l.isClosed() || l.hasEnded();
                }
                case CompletionStage<?> s -> {
                    stages.add(s);
                    ready[i] = isDone(s);
                }
                case null -> throw new IllegalArgumentException("cannot wait on null: objects=" + objects);
                default -> throw new IllegalArgumentException("cannot wait on a " + o.getClass().getName()
                        + " (expected a Connection, a Listener or a CompletionStage such as process.onExit()): " + o);
            }
            any |= ready[i];
        }
        Waker waker = any || stages.isEmpty() ? null : new Waker();
        try {
            if (waker != null) for (CompletionStage<?> s : stages) Watch.of(s).add(waker);
            pollDescriptors(fds, alsoFds, ready, any ? 0 : nanos, pollNanos, waker, stages);
        } finally {
            if (waker != null) {
                for (CompletionStage<?> s : stages) Watch.of(s).remove(waker);
                waker.close();
            }
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (ready[i] || items.get(i) instanceof CompletionStage<?> s && isDone(s)) out.add(items.get(i));
        }
        return out;
    }

    private static boolean hasBuffered(Receiver r) {
        // a thread blocked in a receive holds the lock: then only the socket is looked at
        if (!r.lock.tryLock()) return false;
        try {
            return r.hasBuffered();
        } finally {
            r.lock.unlock();
        }
    }

    private static boolean isDone(CompletionStage<?> s) {
        try {
            return s.toCompletableFuture().isDone();
        } catch (UnsupportedOperationException e) {
            return Watch.of(s).done;
        }
    }

    /**
     * Polls the descriptors (and the waker) until one is ready or {@code nanos} pass: for the first
     * {@code pollNanos} without blocking, a yield between polls (the longest poll budget of the connections waited
     * on: as long as the most patient of their receives would poll, see {@code Receiver#recvBlocking}), then
     * blocking in slices.
     */
    private static void pollDescriptors(Descriptor[] fds, Descriptor[] alsoFds, boolean[] ready, long nanos, long pollNanos,
                                        Waker waker, List<CompletionStage<?>> stages) throws InterruptedException {
        int n = fds.length;
        boolean[] held = new boolean[n], alsoHeld = new boolean[n];
        MemorySegment e = Native.errno();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(8L * (2 * n + 1), 8);
            int count = 0;
            int[] index = new int[2 * n + 1];
            for (int i = 0; i < n; i++) {
                if (fds[i] == null || ready[i]) continue;
                try {
                    Native.pollfd(pollfds, count, fds[i].acquire(), Native.POLLIN);
                    held[i] = true;
                    index[count++] = i;
                    if (alsoFds[i] != null) {
                        Native.pollfd(pollfds, count, alsoFds[i].acquire(), Native.POLLIN);
                        alsoHeld[i] = true;
                        index[count++] = i;
                    }
                } catch (ClosedConnectionException closed) {
                    ready[i] = true;
                    nanos = 0;
                }
            }
            if (waker != null) {
                Native.pollfd(pollfds, count, waker.fd, Native.POLLIN);
                index[count++] = -1;
            }
            boolean forever = nanos == Long.MAX_VALUE;
            long began = System.nanoTime();
            long deadline = began + (forever ? 0 : nanos);
            long pollEnd = began + Math.min(pollNanos, nanos);
            while (true) {
                long now = System.nanoTime();
                boolean polling = count > 0 && now - pollEnd < 0;
                long left = forever ? Long.MAX_VALUE : deadline - now;
                int millis = polling ? 0 : Connection.sliceMillis(left);
                if (millis > 0 && Thread.interrupted()) throw new InterruptedException("interrupted in Connections.wait");
                int r = count == 0 ? sleep(millis) : Native.poll(e, pollfds, count, millis);
                if (r < 0 && Native.errno(e) != Native.EINTR) {
                    throw new UncheckedIOException(Native.error("poll", Native.errno(e)));
                }
                boolean found = false;
                for (int k = 0; k < count && r > 0; k++) {
                    if (Native.revents(pollfds, k) != 0 && index[k] >= 0) {
                        ready[index[k]] = true;
                        found = true;
                    }
                }
                for (CompletionStage<?> s : stages) found |= isDone(s);
                for (int i = 0; i < n; i++) found |= ready[i];
                if (found || !forever && deadline - System.nanoTime() <= 0) return;
                if (polling) Thread.yield();
            }
        } finally {
            for (int i = 0; i < n; i++) {
                if (held[i]) fds[i].release();
                if (alsoHeld[i]) alsoFds[i].release();
            }
        }
    }

    private static int sleep(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return 0;
    }

    /** An eventfd that completing stages signal, to end a poll early. */
    private static final class Waker {
        final int fd;
        private boolean closed;

        Waker() {
            MemorySegment e = Native.errno();
            fd = Native.eventfd(e);
            if (fd < 0) throw new UncheckedIOException(Native.error("eventfd", Native.errno(e)));
        }

        synchronized void wake() {
            if (!closed) Native.signal(fd);
        }

        synchronized void close() {
            closed = true;
            Native.close(fd);
        }
    }

    /**
     * The one completion callback registered on a stage, however many times it is waited on (a loop
     * waiting on {@code p.onExit()} must not pile callbacks onto it).
     */
    private static final class Watch {
        private static final Map<CompletionStage<?>, Watch> WATCHES = Collections.synchronizedMap(new WeakHashMap<>());
        private final CopyOnWriteArraySet<Waker> wakers = new CopyOnWriteArraySet<>();
        volatile boolean done;

        static Watch of(CompletionStage<?> s) {
            Watch w;
            boolean registered;
            synchronized (WATCHES) {
                w = WATCHES.get(s);
                registered = w == null;
                if (registered) {
                    w = new Watch();
                    WATCHES.put(s, w);
                }
            }
            if (registered) {
                Watch watch = w;
                s.whenComplete((v, x) -> watch.complete());
            }
            return w;
        }

        void add(Waker k) {
            wakers.add(k);
            if (done) k.wake();
        }

        void remove(Waker k) { wakers.remove(k); }

        private void complete() {
            done = true;
            for (Waker k : wakers) k.wake();
        }
    }
}
