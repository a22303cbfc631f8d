package io.mp4j.managers;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.StartMethod;
import io.mp4j.function.Call;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A manager: a server process that owns shared objects and hands out proxies to them (Python's
 * {@code multiprocessing.Manager()}, a {@code SyncManager}, with {@code BaseManager}'s registration of the
 * user's own types and its remote use).
 * <pre>{@code
 * Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
 * try (SyncManager manager = ctx.manager()) {
 *     DictProxy<String, Integer> scores = manager.dict(String.class, Integer.class);
 *     List<MpProcess> workers = ...;     // each: scores.put(name, score)
 *     System.out.println(new TreeMap<>(scores));
 * }                                       // shutdown(): the server process ends
 * }</pre>
 *
 * <h2>Life cycle</h2>
 * {@link #start()} starts the server with the context's start method (a thread of this JVM under THREAD) and
 * returns once it answers; {@link #connect()} reaches a manager another JVM started; {@link #serveForever()} serves
 * in the calling thread. {@link #shutdown()} (and {@link #close()}) asks the server to stop, waits for its process
 * (terminating it, then killing it, if it does not end within the shutdown timeout), and removes its socket:
 * nothing is left behind. Proxies of a manager that is shut down or dead throw {@link ManagerUnavailableException}.
 * If this JVM exits without a shutdown, the server process goes with it (it is a daemon child).
 *
 * <h2>Address and key</h2>
 * By default the server listens on a Unix-domain socket in the context's private directory and authenticates
 * peers with the context's key, which children inherit: its proxies work in every child and pool worker of this
 * JVM, and nowhere else. To serve another JVM, give it an address ({@link Builder#address}: a Unix-domain path, the
 * loopback with {@link Builder#loopback(int)}, or an explicit IPv4 address, {@code 0.0.0.0} for every interface)
 * and a key ({@link Builder#authkey}); the other JVM builds a manager with the same address and key and calls
 * {@link #connect()}. A peer with another key is refused.
 *
 * <h2>Objects</h2>
 * The factory methods make an object in the server and return its proxy: {@link #dict}, {@link #list},
 * {@link #namespace}, {@link #queue}, {@link #joinableQueue}, {@link #lock}, {@link #rlock}, {@link #semaphore},
 * {@link #boundedSemaphore}, {@link #condition}, {@link #event}, {@link #barrier}, {@link #value}, {@link #array},
 * and {@link #create} for a registered type. Objects live until the manager shuts down (Python frees one when its
 * last proxy is gone; proxies here do not count references). See {@link BaseProxy} for how proxies travel and
 * fail.
 *
 * <p>Thread-safe.
 */
public final class SyncManager extends ProxyFactories implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private enum State { INITIAL, STARTED, CONNECTED, SERVING, SHUT_DOWN }

    private final Context context;
    private final SocketAddress requested;
    private final Registry registry;
    private final Duration shutdownTimeout;
    private State state = State.INITIAL; // guarded by this
    private volatile String address;
    private volatile ManagerClient client;
    private MpProcess process;           // guarded by this

    private SyncManager(Builder b) {
        super(b.authkey != null ? b.authkey.clone() : b.context.authkey());
        this.context = b.context;
        this.requested = b.address;
        this.registry = b.registry.copy();
        this.shutdownTimeout = b.shutdownTimeout;
    }

    /**
     * A builder of a manager of {@code context} ({@code ctx.managerBuilder()}).
     *
     * @param context the context whose start method and key the manager uses
     * @return a builder
     */
    public static Builder builder(Context context) { return new Builder(Objects.requireNonNull(context, "context")); }

    // ------------------------------------------------------------------ life cycle

    /**
     * Starts the server process and waits until it serves (Python's {@code start()}).
     *
     * @throws IllegalStateException when started or connected already, or when the server could not start (its
     *         address is in use, it died): the message says why, and nothing is left running
     * @return this manager, started
     */
    public synchronized SyncManager start() {
        checkInitial("start");
        String name = "manager-" + COUNTER.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        SocketAddress bindTo = requested != null ? requested : UnixDomainSocketAddress.of(context.resourceDir().resolve(name + ".sock"));
        Path replyFile = context.resourceDir().resolve(name + ".ready");
        askStandbysToWarmUp();
        MpProcess p = context.process(ServerMain::serve, ServerMain.config(bindTo, authkey, registry, replyFile));
        p.setDaemon(true);
        p.setName("SyncManager-" + p.getName().substring(p.getName().indexOf('-') + 1));
        String reply;
        try {
            p.start();
            reply = awaitReady(replyFile, p);
        } catch (RuntimeException e) {
            stopProcess(p);
            throw e;
        } finally {
            try {
                Files.deleteIfExists(replyFile);
            } catch (IOException ignored) {
                // the context's directory goes at exit anyway
            }
        }
        if (reply.startsWith("error: ")) {
            stopProcess(p);
            throw new IllegalStateException("cannot start the manager on " + Addresses.format(bindTo) + ": " + reply.substring(7));
        }
        address = reply;
        client = ManagerClient.of(reply, authkey);
        process = p;
        state = State.STARTED;
        return this;
    }

    /**
     * Under FORK and FORKSERVER, asks the warm JVMs started from now on to run a manager's path as the last stage of
     * their warm-up ({@code Stages.LIVE_WARM_UP_PREFIX}): the children that will use this manager's proxies then
     * come with their calls compiled. Programs that never start a manager do not pay for it.
     */
    private void askStandbysToWarmUp() {
        StartMethod m = context.startMethod();
        if (m != StartMethod.FORK && m != StartMethod.FORKSERVER) return;
        Path marker = context.resourceDir().resolve(io.mp4j.worker.warmup.Stages.LIVE_WARM_UP_PREFIX + ManagerWarmUp.class.getName());
        try {
            if (!Files.exists(marker)) Files.createFile(marker);
        } catch (IOException ignored) {
            // made meanwhile by another manager's start, or the directory is going: the children pay on first use
        }
    }

    /**
     * The server's reply: the address it serves on, or {@code error: why}. It comes as a file the server renames into
     * place, looked for at growing intervals (50 µs to 2 ms): a pipe end as the server's argument would make its JVM
     * decode it with Jackson, the heaviest part of a fresh server's start.
     */
    private String awaitReady(Path replyFile, MpProcess p) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        long pause = 50_000;
        try {
            for (;;) {
                if (Files.exists(replyFile)) return Files.readString(replyFile);
                if (!p.isAlive()) {
                    if (Files.exists(replyFile)) return Files.readString(replyFile);
                    throw new IllegalStateException("the manager's server process ended before it was ready: exit code " + p.exitCode());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the manager's server was not ready within " + READY_TIMEOUT.toSeconds() + " s");
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted while starting the manager (the interrupt status is kept)");
                }
                LockSupport.parkNanos(pause);
                pause = Math.min(pause * 2, 2_000_000);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the manager's reply " + replyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Connects to a manager served at this builder's address (by another JVM, usually), and checks that it
     * answers (Python's {@code connect()}).
     *
     * @throws java.net.ConnectException when nobody serves at the address
     * @throws io.mp4j.ipc.connection.AuthenticationException when the manager refuses this key (or proves another)
     * @throws IllegalStateException when no address was given, or this manager was started or connected already
     * @return this manager, connected
     */
    public synchronized SyncManager connect() throws IOException {
        checkInitial("connect");
        if (requested == null) throw new IllegalStateException("connect() needs the manager's address: give it with builder.address(...)");
        String a = Addresses.format(requested);
        ManagerClient c = ManagerClient.of(a, authkey);
        c.ping();
        address = a;
        client = c;
        state = State.CONNECTED;
        return this;
    }

    /**
     * Serves the manager in the calling thread until a peer's shutdown request or an interrupt of this thread
     * (Python's {@code get_server().serve_forever()}); the registered factories run in this JVM. Proxies made
     * from this object meanwhile (from other threads) work as with a started manager.
     *
     * @throws IOException when the address cannot be bound (in use, no such interface)
     */
    public void serveForever() throws IOException {
        Server server;
        synchronized (this) {
            checkInitial("serve");
            SocketAddress bindTo = requested != null ? requested : UnixDomainSocketAddress.of(context.resourceDir()
                    .resolve("manager-" + COUNTER.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt()) + ".sock"));
            server = Server.bind(bindTo, authkey, registry);
            address = Addresses.format(server.address());
            client = ManagerClient.of(address, authkey);
            state = State.SERVING;
        }
        try {
            server.serveForever();
        } finally {
            synchronized (this) {
                state = State.SHUT_DOWN;
                ManagerClient.forget(address);
            }
        }
    }

    /**
     * Stops the server and waits for its process to end (Python's {@code shutdown()}); idempotent. A manager
     * serving in a thread of this JVM ({@link #serveForever()}) stops, and that thread returns. A manager this JVM
     * only connected to keeps running: this closes this JVM's connections to it. Proxies then throw
     * {@link ManagerUnavailableException}.
     */
    public synchronized void shutdown() {
        switch (state) {
            case STARTED -> {
                client.shutdownServer();
                stopProcess(process);
                ManagerClient.forget(address);
                if (Addresses.parse(address) instanceof UnixDomainSocketAddress u) {
                    try {
                        Files.deleteIfExists(u.getPath()); // the server removes it, unless it was killed
                    } catch (IOException ignored) {
                        // the context's directory goes at exit anyway
                    }
                }
            }
            case CONNECTED -> ManagerClient.forget(address);
            case SERVING -> client.shutdownServer(); // serveForever() returns, and marks it shut down
            default -> { }
        }
        if (state != State.SERVING) state = State.SHUT_DOWN;
    }

    /** Waits for the server process, then terminates it, then kills it (a shutdown timeout each). */
    private void stopProcess(MpProcess p) {
        try {
            if (p.pid() == null) return;
            if (!p.join(shutdownTimeout)) {
                p.terminate();
                if (!p.join(shutdownTimeout)) {
                    p.kill();
                    p.join(shutdownTimeout);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.kill();
        }
    }

    /** {@link #shutdown()}: for try-with-resources (Python's {@code with Manager() as m:}). */
    @Override
    public void close() { shutdown(); }

    /**
     * The address the manager is served on (with the actual port when port 0 was asked for), or {@code null}
     * before it is started, connected or served.
     *
     * @return the address, or {@code null}
     */
    public SocketAddress address() {
        String a = address;
        return a == null ? null : Addresses.parse(a);
    }

    /**
     * The server process of a started manager ({@code null} otherwise): to watch it, not to stop it.
     *
     * @return the server's process, or {@code null}
     */
    public synchronized MpProcess serverProcess() { return process; }

    private void checkInitial(String op) {
        if (state != State.INITIAL) {
            throw new IllegalStateException("cannot " + op + " a manager that is " + state.name().toLowerCase().replace('_', ' ')
                    + " (a manager starts, connects or serves once)");
        }
    }

    @Override
    String servedAddress() { return address; }

    @Override
    ManagerClient running(String what) {
        ManagerClient c = client;
        State s;
        synchronized (this) {
            s = state;
        }
        if (s == State.INITIAL) throw new IllegalStateException("cannot make " + what + ": the manager is not started (call start() or connect())");
        if (s == State.SHUT_DOWN) throw new IllegalStateException("cannot make " + what + ": the manager was shut down");
        return c;
    }

    @Override
    public synchronized String toString() {
        return "<SyncManager " + state.name().toLowerCase() + (address == null ? "" : " at " + address) + ">";
    }

    // ------------------------------------------------------------------ builder

    /**
     * How a manager is made: its address, key, registered types and shutdown timeout. {@link #start()},
     * {@link #connect()} and {@link #build()} copy it, so one builder can make several managers.
     */
    public static final class Builder {
        private final Context context;
        private final Registry registry = new Registry();
        private SocketAddress address;
        private byte[] authkey;
        private Duration shutdownTimeout = Duration.ofSeconds(1);

        private Builder(Context context) { this.context = context; }

        /**
         * Where the manager is served, or where to connect: a {@link UnixDomainSocketAddress} (the file must not
         * exist), or an {@link InetSocketAddress} on IPv4: the loopback, or any other address, which other machines
         * may reach ({@code new InetSocketAddress(port)}: every interface; port 0: any free port, see
         * {@link SyncManager#address()}). Default: a Unix-domain socket in the context's private directory.
         *
         * @throws IllegalArgumentException for another kind of address, an unresolved host or IPv6
         * @param address where the manager is served
         * @return this builder
         */
        public Builder address(SocketAddress address) {
            this.address = Addresses.check(Objects.requireNonNull(address, "address"));
            return this;
        }

        /**
         * Served on (or connecting to) {@code 127.0.0.1:port}, for other JVMs of this machine (port 0: any free port).
         *
         * @param port the port, 0 for any free one
         * @return this builder
         */
        public Builder loopback(int port) { return address(Addresses.loopback(port)); }

        /**
         * The key peers must prove they know (Python's {@code authkey}); default: the context's key, which this
         * JVM's children inherit. A proxy sent to a process whose own key differs carries this key with it.
         *
         * @throws IllegalArgumentException for an empty key
         * @param authkey the key peers must prove
         * @return this builder
         */
        public Builder authkey(byte[] authkey) {
            if (Objects.requireNonNull(authkey, "authkey").length == 0) throw new IllegalArgumentException("authkey must not be empty");
            this.authkey = authkey.clone();
            return this;
        }

        /**
         * Registers a type (Python's {@code BaseManager.register(typeid, callable, exposed=...)}): the server makes
         * its objects with {@code factory} (a serializable method reference or lambda, run in the server's
         * process), and proxies reach them through {@code type}, an interface, calling the methods named in
         * {@code exposed} (all of {@code type}'s when none are named). Get one with {@link SyncManager#create}.
         *
         * @throws IllegalArgumentException for a built-in or taken typeid, a type that is not an interface, or an
         *         exposed name that is not one of its methods
         * @param <T> the interface the object is served as
         * @param typeid the name the type was registered with
         * @param type the interface the type was registered with
         * @param factory makes the object each {@code create} serves (or returns one shared object)
         * @param exposed the methods proxies may call; none: every method of the interface
         * @return this builder
         */
        public <T> Builder register(String typeid, Class<T> type, Call<? extends T> factory, String... exposed) {
            registry.add(typeid, type, factory, exposed);
            return this;
        }

        /**
         * How long {@link SyncManager#shutdown()} waits for the server at each step (default 1 s, as Python).
         *
         * @param timeout the longest wait ({@code null}: none)
         * @return this builder
         */
        public Builder shutdownTimeout(Duration timeout) {
            if (timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
            this.shutdownTimeout = timeout;
            return this;
        }

        /**
         * A manager that is not started yet.
         *
         * @return the manager, not started
         */
        public SyncManager build() { return new SyncManager(this); }

        /**
         * {@code build().start()}.
         *
         * @return the manager, started
         */
        public SyncManager start() { return build().start(); }

        /**
         * {@code build().connect()}.
         *
         * @return a manager connected to the server at the address
         * @throws IOException when nobody listens at the address or the connection fails
         */
        public SyncManager connect() throws IOException { return build().connect(); }

        @Override
        public String toString() {
            return "SyncManager.Builder[" + (address == null ? "default address" : Addresses.format(address)) + ", registered "
                    + registry.typeids() + (authkey == null ? "" : ", key " + HexFormat.of().formatHex(authkey, 0, 2) + "...") + "]";
        }
    }
}
