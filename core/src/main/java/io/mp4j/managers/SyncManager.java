package io.mp4j.managers;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.StartMethod;
import io.mp4j.function.Call;
import io.mp4j.ipc.shm.TypeCode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
public final class SyncManager implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private enum State { INITIAL, STARTED, CONNECTED, SERVING, SHUT_DOWN }

    private final Context context;
    private final SocketAddress requested;
    private final byte[] authkey;
    private final Registry registry;
    private final Duration shutdownTimeout;
    private State state = State.INITIAL; // guarded by this
    private volatile String address;
    private volatile ManagerClient client;
    private MpProcess process;           // guarded by this

    private SyncManager(Builder b) {
        this.context = b.context;
        this.requested = b.address;
        this.authkey = b.authkey != null ? b.authkey.clone() : b.context.authkey();
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

    private ManagerClient running(String what) {
        ManagerClient c = client;
        State s;
        synchronized (this) {
            s = state;
        }
        if (s == State.INITIAL) throw new IllegalStateException("cannot make " + what + ": the manager is not started (call start() or connect())");
        if (s == State.SHUT_DOWN) throw new IllegalStateException("cannot make " + what + ": the manager was shut down");
        return c;
    }

    /** Makes an object of a built-in type; returns its token. */
    private Token make(String typeid, List<String> types, ManagerClient.Args args) {
        ManagerClient.Created c = running("a " + typeid).create(typeid, args);
        return BaseProxy.newToken(typeid, address, c.id(), types, authkey);
    }

    // ------------------------------------------------------------------ registered types

    /**
     * Makes an object of a registered type in the server (its factory runs there) and returns its proxy (Python's
     * {@code manager.Typeid()}). A factory that returns the same object each time (a queue served to other
     * machines) gives proxies of that one object.
     *
     * @param type the interface the type was registered with (or one it extends)
     * @throws IllegalArgumentException when {@code typeid} is not registered in the server, or with another interface
     * @param <T> the interface the object is served as
     * @param typeid the name the type was registered with
     * @return a proxy to the object
     */
    public <T> AutoProxy<T> create(String typeid, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isInterface()) throw new IllegalArgumentException("a registered type is reached through an interface: type=" + type.getName());
        ManagerClient.Created c = running("a '" + typeid + "'").create(Objects.requireNonNull(typeid, "typeid"), ManagerClient.Args.NONE);
        if (!c.type().equals(type.getName())) {
            Class<?> served;
            try {
                served = Class.forName(c.type(), false, Wire.loader());
            } catch (ClassNotFoundException e) {
                served = null;
            }
            if (served == null || !type.isAssignableFrom(served)) {
                throw new IllegalArgumentException("'" + typeid + "' is served as a " + (c.type().isEmpty() ? "built-in type" : c.type())
                        + ", not a " + type.getName());
            }
        }
        return new AutoProxy<>(BaseProxy.newToken(typeid, address, c.id(), List.of(type.getName()), authkey));
    }

    // ------------------------------------------------------------------ data

    /**
     * Python's {@code manager.dict()}: an empty shared map of any keys and values.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @return a proxy to a new dict in the server
     */
    public <K, V> DictProxy<K, V> dict() { return dict(Map.of()); }

    /**
     * An empty shared map whose keys and values decode as {@code keyType} and {@code valueType}.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param keyType the keys' class
     * @param valueType the values' class
     * @return a proxy to a new dict in the server
     */
    public <K, V> DictProxy<K, V> dict(Class<K> keyType, Class<V> valueType) {
        return new DictProxy<>(make("dict", List.of(keyType.getName(), valueType.getName()), out -> out.writeInt(0)));
    }

    /**
     * Python's {@code manager.dict(mapping)}: a shared map holding copies of {@code initial}'s entries.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param initial the initial entries
     * @return a proxy to a new dict in the server
     */
    public <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> initial) {
        List<Map.Entry<? extends K, ? extends V>> entries = new ArrayList<>(initial.entrySet());
        return new DictProxy<>(make("dict", List.of(), out -> {
            out.writeInt(entries.size());
            for (var e : entries) {
                Wire.writeBlob(out, e.getKey());
                Wire.writeBlob(out, e.getValue());
            }
        }));
    }

    /**
     * Python's {@code manager.list()}: an empty shared list of any elements.
     *
     * @param <E> the type of the elements
     * @return a proxy to a new list in the server
     */
    public <E> ListProxy<E> list() { return list(List.of()); }

    /**
     * An empty shared list whose elements decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @return a proxy to a new list in the server
     */
    public <E> ListProxy<E> list(Class<E> elementType) {
        return new ListProxy<>(make("list", List.of(elementType.getName()), out -> out.writeInt(0)));
    }

    /**
     * Python's {@code manager.list(sequence)}: a shared list holding copies of {@code initial}'s elements.
     *
     * @param <E> the type of the elements
     * @param initial the initial elements
     * @return a proxy to a new list in the server
     */
    public <E> ListProxy<E> list(Collection<? extends E> initial) {
        List<? extends E> items = new ArrayList<>(initial);
        return new ListProxy<>(make("list", List.of(), out -> {
            out.writeInt(items.size());
            for (Object o : items) Wire.writeBlob(out, o);
        }));
    }

    /**
     * Python's {@code manager.Namespace()}.
     *
     * @return a proxy to a new namespace in the server
     */
    public Namespace namespace() { return namespace(Map.of()); }

    /**
     * Python's {@code manager.Namespace(**attributes)}.
     *
     * @param attributes the initial attributes
     * @return a proxy to a new namespace in the server
     */
    public Namespace namespace(Map<String, ?> attributes) {
        List<Map.Entry<String, ?>> entries = new ArrayList<>(attributes.entrySet());
        return new Namespace(make("Namespace", List.of(), out -> {
            out.writeInt(entries.size());
            for (var e : entries) {
                if (e.getKey() == null || e.getKey().isEmpty()) throw new IllegalArgumentException("an attribute name must not be empty");
                io.mp4j.ipc.codec.Codec.writeString(out, e.getKey());
                Wire.writeBlob(out, e.getValue());
            }
        }));
    }

    /**
     * Python's {@code manager.Value(typecode, value)}: {@code initial} converted to what the type code holds.
     *
     * @throws IllegalArgumentException for an unknown type code, or a value it cannot hold
     * @param typecode a Python type code ({@code 'i'}, {@code 'd'}, ...)
     * @param initial the initial value, in the type code's range
     * @return a proxy to a new value in the server
     */
    public ValueProxy value(char typecode, Object initial) {
        TypeCode code = TypeCode.of(typecode);
        Object v = TypeCodes.convert(code, initial);
        return new ValueProxy(make("Value", List.of(String.valueOf(typecode)), out -> Wire.writeBlob(out, v)));
    }

    /**
     * Python's {@code manager.Array(typecode, sequence)}: {@code sizeOrInitial} is a length (zeros, or false) or
     * the initial elements (a primitive array, an {@code Object[]} or a collection), converted to what the type code
     * holds.
     *
     * @throws IllegalArgumentException for an unknown type code, a negative length, or an element it cannot hold
     * @param typecode a Python type code ({@code 'i'}, {@code 'd'}, ...)
     * @param sizeOrInitial a length (a number) or the initial elements (an array or a collection)
     * @return a proxy to a new array in the server
     */
    public ArrayProxy array(char typecode, Object sizeOrInitial) {
        TypeCode code = TypeCode.of(typecode);
        List<Object> items = new ArrayList<>();
        switch (sizeOrInitial) {
            case Integer n -> {
                if (n < 0) throw new IllegalArgumentException("an array's length must not be negative: length=" + n);
                Object zero = TypeCodes.convert(code, code == TypeCode.BOOLEAN ? Boolean.FALSE : (Object) 0);
                for (int i = 0; i < n; i++) items.add(zero);
            }
            case Collection<?> c -> c.forEach(o -> items.add(TypeCodes.convert(code, o)));
            case Object o when o.getClass().isArray() -> {
                for (int i = 0; i < java.lang.reflect.Array.getLength(o); i++) items.add(TypeCodes.convert(code, java.lang.reflect.Array.get(o, i)));
            }
            case null -> throw new IllegalArgumentException("an array needs a length or its elements, not null");
            default -> throw new IllegalArgumentException("an array needs a length or its elements (an array or a collection): got a "
                    + sizeOrInitial.getClass().getName());
        }
        return new ArrayProxy(make("Array", List.of(String.valueOf(typecode)), out -> {
            out.writeInt(items.size());
            for (Object o : items) Wire.writeBlob(out, o);
        }));
    }

    // ------------------------------------------------------------------ queues

    /**
     * Python's {@code manager.Queue()}: unbounded, of any items.
     *
     * @param <E> the type of the elements
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue() { return queue(0); }

    /**
     * Python's {@code manager.Queue(maxsize)} (0: unbounded).
     *
     * @param <E> the type of the elements
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue(int maxsize) { return new QueueProxy<>(makeQueue("Queue", Object.class, maxsize)); }

    /**
     * An unbounded queue whose items decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue(Class<E> elementType) { return queue(elementType, 0); }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded) that decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue(Class<E> elementType, int maxsize) { return new QueueProxy<>(makeQueue("Queue", elementType, maxsize)); }

    /**
     * Python's {@code manager.JoinableQueue()}.
     *
     * @param <E> the type of the elements
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue() { return joinableQueue(0); }

    /**
     * Python's {@code manager.JoinableQueue(maxsize)}.
     *
     * @param <E> the type of the elements
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue(int maxsize) { return new JoinableQueueProxy<>(makeQueue("JoinableQueue", Object.class, maxsize)); }

    /**
     * An unbounded joinable queue whose items decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue(Class<E> elementType) { return joinableQueue(elementType, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items (0: unbounded) that decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue(Class<E> elementType, int maxsize) {
        return new JoinableQueueProxy<>(makeQueue("JoinableQueue", elementType, maxsize));
    }

    private Token makeQueue(String typeid, Class<?> elementType, int maxsize) {
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must not be negative: maxsize=" + maxsize);
        return make(typeid, List.of(elementType.getName()), out -> out.writeInt(maxsize));
    }

    // ------------------------------------------------------------------ synchronization

    /**
     * Python's {@code manager.Lock()}.
     *
     * @return a proxy to a new lock in the server
     */
    public LockProxy lock() { return new LockProxy(make("Lock", List.of(), ManagerClient.Args.NONE)); }

    /**
     * Python's {@code manager.RLock()}.
     *
     * @return a proxy to a new reentrant lock in the server
     */
    public RLockProxy rlock() { return new RLockProxy(make("RLock", List.of(), ManagerClient.Args.NONE)); }

    /**
     * Python's {@code manager.Semaphore()}: one permit.
     *
     * @return a proxy to a new semaphore in the server
     */
    public SemaphoreProxy semaphore() { return semaphore(1); }

    /**
     * Python's {@code manager.Semaphore(value)}.
     *
     * @param value the initial count
     * @return a proxy to a new semaphore in the server
     */
    public SemaphoreProxy semaphore(int value) {
        if (value < 0) throw new IllegalArgumentException("a semaphore's value must not be negative: value=" + value);
        return new SemaphoreProxy(make("Semaphore", List.of(), out -> out.writeInt(value)));
    }

    /**
     * Python's {@code manager.BoundedSemaphore()}: one permit.
     *
     * @return a proxy to a new bounded semaphore in the server
     */
    public BoundedSemaphoreProxy boundedSemaphore() { return boundedSemaphore(1); }

    /**
     * Python's {@code manager.BoundedSemaphore(value)}.
     *
     * @param value the initial count
     * @return a proxy to a new bounded semaphore in the server
     */
    public BoundedSemaphoreProxy boundedSemaphore(int value) {
        if (value < 0) throw new IllegalArgumentException("a semaphore's value must not be negative: value=" + value);
        return new BoundedSemaphoreProxy(make("BoundedSemaphore", List.of(), out -> out.writeInt(value)));
    }

    /**
     * Python's {@code manager.Condition()}: over a new RLock of this manager ({@link ConditionProxy#getLock()}).
     *
     * @return a proxy to a new condition in the server
     */
    public ConditionProxy condition() { return condition(rlock()); }

    /**
     * Python's {@code manager.Condition(lock)}.
     *
     * @throws IllegalArgumentException when {@code lock} belongs to another manager
     * @param lock the lock the condition is over, from this manager
     * @return a proxy to a new condition in the server
     */
    public ConditionProxy condition(AcquirerProxy lock) {
        Objects.requireNonNull(lock, "lock");
        if (!lock.managerAddress().equals(address)) {
            throw new IllegalArgumentException("a condition needs a lock of the same manager: the lock's manager is at "
                    + lock.managerAddress() + ", this one at " + address);
        }
        return new ConditionProxy(make("Condition", List.of(lock.typeid(), Long.toString(lock.id())), out -> out.writeLong(lock.id())));
    }

    /**
     * Python's {@code manager.Event()}.
     *
     * @return a proxy to a new event in the server
     */
    public EventProxy event() { return new EventProxy(make("Event", List.of(), ManagerClient.Args.NONE)); }

    /**
     * Python's {@code manager.Barrier(parties)}.
     *
     * @param parties how many parties the barrier waits for
     * @return a proxy to a new barrier in the server
     */
    public BarrierProxy barrier(int parties) { return barrier(parties, null); }

    /**
     * Python's {@code manager.Barrier(parties, timeout=t)}: {@code timeout} (or null) is the default of
     * {@link BarrierProxy#await()}.
     *
     * @throws IllegalArgumentException for fewer than one party or a negative timeout
     * @param parties how many parties the barrier waits for
     * @param timeout the longest wait ({@code null}: none)
     * @return a proxy to a new barrier in the server
     */
    public BarrierProxy barrier(int parties, Duration timeout) {
        if (parties < 1) throw new IllegalArgumentException("a barrier needs at least one party: parties=" + parties);
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        long nanos = timeout == null ? Wire.FOREVER : timeout.toNanos();
        return new BarrierProxy(make("Barrier", List.of(), out -> {
            out.writeInt(parties);
            out.writeLong(nanos);
        }));
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
