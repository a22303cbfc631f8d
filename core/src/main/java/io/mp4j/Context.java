package io.mp4j;

import io.mp4j.core.ChildClassPath;
import io.mp4j.core.ChildHandle;
import io.mp4j.core.ForkLauncher;
import io.mp4j.core.InheritedJvmOptions;
import io.mp4j.core.ForkServerLauncher;
import io.mp4j.core.Launcher;
import io.mp4j.core.ProcessRegistry;
import io.mp4j.core.SpawnLauncher;
import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;
import io.mp4j.function.Task4;
import io.mp4j.worker.JvmSpec;
import io.mp4j.worker.Launch;
import io.mp4j.worker.ResourceTracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A factory for everything, bound to one start method (Python's {@code multiprocessing.get_context(method)}).
 * Get one with {@link Multiprocessing#getContext(StartMethod)}; there is one context per start method in a JVM.
 *
 * <p>Named resources the context makes (shared-memory segments, queue directories, socket files) live
 * in one private directory (mode 0700) under {@code /dev/shm} (or the temporary directory), created on
 * first use and removed when this JVM ends, even by SIGKILL, by a {@link ResourceTracker}.
 *
 * <p><b>Child JVMs</b> (SPAWN, FORK, FORKSERVER, and the workers of their pools) run the same JDK with the
 * options {@link #childJvmOptions()} lists: by default the options of this JVM's command line that can be shared
 * (heap and collector settings, {@code -D} properties, module options; not debug agents, flight recordings or JMX
 * ports), then the options added with {@link #addJvmOptions}, which override inherited ones (the JVM takes the last
 * {@code -Xmx}, the last {@code -Dkey=}). {@link #inheritJvmOptions(boolean) inheritJvmOptions(false)} starts them
 * with the added options only. Their class path is this JVM's, or, when the target's classes come from another
 * class loader ({@code mvn exec:java}, a plugin), the class path of that loader and its parents.
 */
public final class Context implements BaseContext {
    private final StartMethod method;
    private final byte[] authkey;
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean inheritJvmOptions = true;
    private final List<Class<?>> snapshotClasses = new ArrayList<>();
    private final List<String> forkserverPreload = new ArrayList<>();
    private volatile Launcher launcher;
    private volatile Path resourceDir;
    private ResourceTracker tracker;

    Context(StartMethod method, byte[] authkey) {
        this.method = method;
        this.authkey = authkey.clone();
    }

    /**
     * The start method of every process, pool and executor this context makes.
     *
     * @return this context's start method
     */
    public StartMethod startMethod() { return method; }

    /**
     * The key that children and this process's listeners use to authenticate each other.
     *
     * @return a copy of the key
     */
    public byte[] authkey() { return authkey.clone(); }

    // ------------------------------------------------------------------ processes

    /**
     * A process that will run {@code target} (Python's {@code Process(target=f)}).
     *
     * @param target the method the process runs, with no arguments
     * @return a new process, not yet started
     */
    public MpProcess process(Task target) { return new MpProcess(this, target, new Object[0]); }

    /**
     * Starts what makes this context's processes start fast, ahead of need: the warm standby JVMs of
     * FORK, the fork server of FORKSERVER and its standbys; nothing for SPAWN and THREAD. Without it the fork server
     * starts at the first {@code start()} and the standbys once the first process has ended (never when a process is
     * only made): the first {@code start()} gets a JVM started for it, as under SPAWN.
     *
     * @return this context
     */
    public Context prewarm() {
        prewarm(Context.class);
        return this;
    }

    /**
     * {@link #prewarm()} with JVMs that can run code of {@code anchor}; quiet when they cannot: the start that
     * needs them reports it.
     */
    void prewarm(Class<?> anchor) {
        if (method != StartMethod.FORK && method != StartMethod.FORKSERVER) return;
        Launcher running = launcher;
        if (running != null && !running.isGone()) {
            running.prewarm();
            return;
        }
        JvmSpec spec;
        try {
            spec = childSpec(anchor);
        } catch (RuntimeException e) {
            return;
        }
        launcher(spec).prewarm();
    }

    /**
     * A process that will run {@code target(a)}.
     *
     * @param <A> the type of the argument
     * @param target the method the process runs
     * @param a its argument, encoded at {@code start()}
     * @return a new process, not yet started
     */
    public <A> MpProcess process(Task1<A> target, A a) { return new MpProcess(this, target, new Object[]{a}); }

    /**
     * A process that will run {@code target(a, b)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @return a new process, not yet started
     */
    public <A, B> MpProcess process(Task2<A, B> target, A a, B b) { return new MpProcess(this, target, new Object[]{a, b}); }

    /**
     * A process that will run {@code target(a, b, c)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @param c its third argument
     * @return a new process, not yet started
     */
    public <A, B, C> MpProcess process(Task3<A, B, C> target, A a, B b, C c) {
        return new MpProcess(this, target, new Object[]{a, b, c});
    }

    /**
     * A process that will run {@code target(a, b, c, d)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param <D> the type of the fourth argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @param c its third argument
     * @param d its fourth argument
     * @return a new process, not yet started
     */
    public <A, B, C, D> MpProcess process(Task4<A, B, C, D> target, A a, B b, C c, D d) {
        return new MpProcess(this, target, new Object[]{a, b, c, d});
    }

    /**
     * Waits until this context's warm JVMs are ready: FORK's standby JVMs, or the fork server and its
     * standbys (started now if they were not yet). A {@code start()} then takes a warm JVM instead of a cold
     * one. Nothing to wait for under SPAWN and THREAD. For the start of a latency-sensitive phase, and for
     * benchmarks that measure starts "with a warm JVM ready".
     *
     * @param timeout how long to wait at most
     * @return whether they were ready within {@code timeout} (zero or negative: whether they are ready now)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        if (method == StartMethod.SPAWN || method == StartMethod.THREAD) return true;
        Launcher l = launcher;
        if (l == null || l.isGone()) l = launcher(childSpec(Context.class));
        return l.awaitReady(Math.max(0, timeout.toNanos()));
    }

    /**
     * Adds JVM options for the child JVMs this context starts from now on (e.g. {@code -Xmx256m},
     * {@code -Dapp.mode=test}), pool workers included; they come after the inherited ones, so they override them.
     * Warm JVMs started before (FORK standbys, the fork server's) are not used for later starts: they are replaced.
     * No effect under THREAD.
     *
     * @param options JVM options, one per element
     * @return this context
     * @throws IllegalArgumentException for a blank option, one that is not an option (no leading {@code -}), or a
     *                                  class path or main jar option (the library chooses the child's class path)
     */
    public synchronized Context addJvmOptions(String... options) {
        for (String o : options) {
            if (o == null || o.isBlank() || !o.startsWith("-")) {
                throw new IllegalArgumentException("not a JVM option: option=" + o + " (expected e.g. -Xmx256m or -Dkey=value)");
            }
            if (List.of("-cp", "-classpath", "--class-path", "-jar").contains(o) || o.startsWith("--class-path=")) {
                throw new IllegalArgumentException("a child's class path is chosen by the library (this JVM's, or the target's"
                        + " class loader's): option=" + o);
            }
        }
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Whether the child JVMs this context starts from now on inherit the options of this JVM's command line (default
     * true): heap and collector settings, {@code -D} properties, module options; never debug or other agents, flight
     * recordings, JMX ports, the class path or archives. With {@code false} they get the options added with
     * {@link #addJvmOptions} only (and the library's own).
     *
     * @param inherit whether children inherit this JVM's options
     * @return this context
     */
    public synchronized Context inheritJvmOptions(boolean inherit) {
        this.inheritJvmOptions = inherit;
        return this;
    }

    /**
     * The options a child JVM started now gets besides the library's own: the inherited ones (unless
     * {@link #inheritJvmOptions(boolean) switched off}), the library's {@code mp4j.*} system properties of this JVM,
     * then those added with {@link #addJvmOptions}, in that order (a later one overrides an earlier one).
     *
     * @return the options, in a list that cannot be modified
     */
    public synchronized List<String> childJvmOptions() {
        List<String> o = new ArrayList<>();
        if (inheritJvmOptions) o.addAll(InheritedJvmOptions.ofThisJvm());
        o.addAll(JvmSpec.libraryProperties());
        o.addAll(jvmOptions);
        return List.copyOf(o);
    }

    /**
     * What a child JVM that runs code of {@code anchor} is started with now.
     *
     * @throws IllegalStateException when no class path made from {@code anchor}'s class loaders reaches it
     */
    JvmSpec childSpec(Class<?> anchor) {
        return new JvmSpec(ChildClassPath.of(anchor), childJvmOptions());
    }

    /**
     * Adds classes whose non-final static fields travel in the FORK snapshot, besides the target's
     * declaring class and its nested classes. No effect under other start methods.
     *
     * @param classes the classes whose static fields the snapshot copies
     * @return this context
     */
    public synchronized Context registerForSnapshot(Class<?>... classes) {
        for (Class<?> c : classes) snapshotClasses.add(Objects.requireNonNull(c, "class"));
        return this;
    }

    synchronized List<Class<?>> snapshotClasses() { return List.copyOf(snapshotClasses); }

    ChildHandle launch(MpProcess p) throws Exception {
        if (method == StartMethod.THREAD) {
            return new ThreadChild(p);
        }
        JvmSpec spec = childSpec(p.classPathAnchor());
        Launcher l = launcher(spec);
        byte[] frame = p.launchFrame();
        return l.launch(frame, p.getName(), spec);
    }

    /** Adds the FORK snapshot to a launch message (nothing under other start methods). */
    void snapshot(MpProcess p, Launch l) {
        if (method == StartMethod.FORK) ForkSnapshot.take(this, p, l);
    }

    private Launcher startForkServer(JvmSpec spec) {
        try {
            return new ForkServerLauncher(resourceDir(), authkey, forkserverPreload(), spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fork server: " + e.getMessage(), e);
        }
    }

    /**
     * Classes the fork server's warm JVMs load before they are needed (Python's
     * {@code set_forkserver_preload}); takes effect when the server starts, at the first FORKSERVER process.
     *
     * @param classNames fully qualified class names
     * @return this context
     * @throws IllegalArgumentException for a blank name or one with a comma
     */
    public synchronized Context setForkserverPreload(List<String> classNames) {
        forkserverPreload.clear();
        for (String n : classNames) {
            if (n == null || n.isBlank() || n.contains(",")) throw new IllegalArgumentException("not a class name: " + n);
            forkserverPreload.add(n);
        }
        return this;
    }

    synchronized List<String> forkserverPreload() { return List.copyOf(forkserverPreload); }

    /** The running launcher (for tests): a ForkLauncher, ForkServerLauncher... or null before first use. */
    Launcher currentLauncher() { return launcher; }

    /** The launcher, started with {@code spec} (for its first warm JVMs) when it was not yet. */
    private Launcher launcher(JvmSpec spec) {
        Launcher l = launcher;
        if (l == null || l.isGone()) {
            synchronized (this) {
                l = launcher;
                if (l != null && l.isGone()) {
                    // the fork server died (killed, or it crashed): a new one serves the starts from now on, as in CPython
                    org.slf4j.LoggerFactory.getLogger(Context.class).warn("the fork server{} is gone; starting a new one",
                            l instanceof ForkServerLauncher fs ? " (pid " + fs.serverPid() + ")" : "");
                    l.shutdown();
                    l = null;
                }
                if (l == null) {
                    l = switch (method) {
                        case SPAWN -> new SpawnLauncher();
                        case FORK -> new ForkLauncher(resourceDir(), spec);
                        case FORKSERVER -> startForkServer(spec);
                        case THREAD -> throw new IllegalStateException("THREAD needs no launcher");
                    };
                    Launcher started = l;
                    ProcessRegistry.atExit(started::shutdown);
                    launcher = l;
                }
            }
        }
        return l;
    }

    // ------------------------------------------------------------------ context stamps

    /** Objects made by THREAD contexts: they stay in this JVM (Python's dummy objects are thread objects). */
    private static final java.util.Set<Object> THREAD_MADE =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    /**
     * Stamps an object this context made. Objects made by the THREAD context belong to this JVM's
     * threads (as Python's {@code multiprocessing.dummy} objects are {@code threading} objects) and are
     * refused by processes of the other contexts: see {@link #checkCompatible}.
     */
    <T> T stamp(T made) {
        if (method == StartMethod.THREAD && made != null) THREAD_MADE.add(made);
        return made;
    }

    /**
     * Refuses, before anything starts, an object made by an incompatible context: a THREAD-context object
     * passed to a process of a JVM-based start method.
     *
     * @throws IllegalArgumentException naming the object, its context and this one
     */
    void checkCompatible(Object value, String what) {
        if (value == null || !method.isProcess()) return;
        if (THREAD_MADE.contains(value)) {
            throw new IllegalArgumentException(what + " (" + value.getClass().getSimpleName() + ") was made by the thread context and"
                    + " can only be used by threads of this JVM, not by a process of the " + method.pythonName()
                    + " context: make it with Multiprocessing.getContext(StartMethod." + method + ")");
        }
    }

    // ------------------------------------------------------------------ shared memory and synchronization (issue 4)

    /**
     * Python's {@code Value(typecode, initial, lock=True)}: a shared number with a new RLock.
     * Type codes: {@code b B h H i I l L q Q f d c ?} (see {@link io.mp4j.ipc.shm.TypeCode}).
     *
     * @param typecode a Python type code
     * @param initial the initial value (a number, a boolean, or a {@code char} for 'c')
     * @return the shared value
     * @throws IllegalArgumentException for an unknown type code or a value out of its range
     */
    public io.mp4j.ipc.shm.Value value(char typecode, Object initial) { return value(typecode, initial, true); }

    /**
     * Python's {@code Value(typecode, initial, lock)}: {@code lock} is true (a new RLock), false (no lock),
     * or an existing {@link io.mp4j.ipc.sync.Lock} or {@link io.mp4j.ipc.sync.RLock}.
     *
     * @param typecode a Python type code
     * @param initial the initial value
     * @param lock true, false, or a lock
     * @return the shared value
     * @throws IllegalArgumentException for an unknown type code, a value out of its range, or another kind of lock
     */
    public io.mp4j.ipc.shm.Value value(char typecode, Object initial, Object lock) {
        return stamp(io.mp4j.ipc.shm.Value.create(resourceDir(), typecode, initial, lock));
    }

    /**
     * A shared {@code int} ('i') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value intValue(int initial) { return value('i', initial); }

    /**
     * A shared {@code long} ('q') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value longValue(long initial) { return value('q', initial); }

    /**
     * A shared {@code double} ('d') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value doubleValue(double initial) { return value('d', initial); }

    /**
     * A shared {@code boolean} ('?') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value booleanValue(boolean initial) { return value('?', initial); }

    /**
     * Python's {@code Array(typecode, size_or_initializer, lock=True)}: {@code sizeOrInitial} is a length or
     * the initial elements (a primitive array or a collection).
     *
     * @param typecode a Python type code
     * @param sizeOrInitial the length, or the initial elements
     * @return the shared array
     * @throws IllegalArgumentException for an unknown type code, a negative length or an element out of range
     */
    public io.mp4j.ipc.shm.Array array(char typecode, Object sizeOrInitial) { return array(typecode, sizeOrInitial, true); }

    /**
     * Python's {@code Array(typecode, size_or_initializer, lock)}; {@code lock} as for {@link #value(char, Object, Object)}.
     *
     * @param typecode a Python type code
     * @param sizeOrInitial the length, or the initial elements
     * @param lock true, false, or a lock
     * @return the shared array
     * @throws IllegalArgumentException for an unknown type code, a negative length, an element out of range or another kind of lock
     */
    public io.mp4j.ipc.shm.Array array(char typecode, Object sizeOrInitial, Object lock) {
        return stamp(io.mp4j.ipc.shm.Array.create(resourceDir(), typecode, sizeOrInitial, lock));
    }

    /**
     * A shared {@code int[]} ('i') with a new RLock.
     *
     * @param initial the initial elements
     * @return the shared array
     */
    public io.mp4j.ipc.shm.Array intArray(int... initial) { return array('i', initial); }

    /**
     * A shared {@code long[]} ('q') with a new RLock.
     *
     * @param initial the initial elements
     * @return the shared array
     */
    public io.mp4j.ipc.shm.Array longArray(long... initial) { return array('q', initial); }

    /**
     * A shared {@code double[]} ('d') with a new RLock.
     *
     * @param initial the initial elements
     * @return the shared array
     */
    public io.mp4j.ipc.shm.Array doubleArray(double... initial) { return array('d', initial); }

    /**
     * Python's {@code shared_memory.SharedMemory(name, create, size)}: {@link #sharedMemory(String, boolean, long, boolean)}
     * with {@code track} true.
     *
     * @param name the block's name; null with {@code create}: a fresh name
     * @param create whether to create it (else attach to an existing one)
     * @param size its size in bytes when created
     * @return the shared memory block
     * @throws NoSuchFileException when attaching ({@code create} false) to a name that no block has
     */
    public io.mp4j.ipc.shm.SharedMemory sharedMemory(String name, boolean create, long size) throws NoSuchFileException {
        return sharedMemory(name, create, size, true);
    }

    /**
     * Python's {@code shared_memory.SharedMemory(name, create, size, track=track)}. A tracked block is created in
     * this context's directory and removed with it when the context ends (whoever forgot to unlink it); an
     * untracked one stays, found by its name by every process of this user, until some process unlinks it.
     * Looked up by name in this context's directory, then the parent's context directory (in a child), then this
     * JVM's other contexts, then the untracked blocks.
     *
     * @param name the block's name; null with {@code create}: a fresh name
     * @param create whether to create it (else attach to an existing one)
     * @param size its size in bytes when created
     * @param track whether the block goes with this context (Python's default) or stays until unlinked
     * @return the shared memory block
     * @throws NoSuchFileException when attaching ({@code create} false) to a name that no block has (Python's
     *         {@code FileNotFoundError})
     * @throws IllegalArgumentException when creating a name that exists, or a size that is not positive
     */
    public io.mp4j.ipc.shm.SharedMemory sharedMemory(String name, boolean create, long size, boolean track) throws NoSuchFileException {
        String parentDir = io.mp4j.worker.ChildRuntime.contextDir();
        List<Path> search = new ArrayList<>();
        if ((create && track) || existingResourceDir() != null) search.add(resourceDir());
        if (parentDir != null) search.add(Paths.get(parentDir));
        for (StartMethod m : StartMethod.values()) { // THREAD children share the JVM's other contexts
            String d = Multiprocessing.getContext(m).existingResourceDir();
            if (d != null) search.add(Paths.get(d));
        }
        return stamp(io.mp4j.ipc.shm.SharedMemory.open(create && track ? resourceDir() : null, search, name, create, size, track));
    }

    /**
     * Python's {@code shared_memory.ShareableList(values)}: a fixed-length list of numbers, booleans, strings, byte
     * arrays and nulls in a new tracked block of this context, with a fresh name ({@code sl.shm().name()}).
     *
     * @param values the items, in order
     * @return the new list, as long as {@code values}
     * @throws IllegalArgumentException for a value a shareable list cannot hold, naming its index and type
     */
    public io.mp4j.ipc.shm.ShareableList shareableList(List<?> values) { return shareableList(null, values); }

    /**
     * Python's {@code shared_memory.ShareableList(values, name=name)}: as {@link #shareableList(List)}, in a block
     * named {@code name} ({@code null}: a fresh name).
     *
     * @param name the block's name, or null
     * @param values the items, in order
     * @return the new list, as long as {@code values}
     * @throws IllegalArgumentException for a value a shareable list cannot hold, or a name that exists
     */
    public io.mp4j.ipc.shm.ShareableList shareableList(String name, List<?> values) {
        return stamp(io.mp4j.ipc.shm.ShareableList.create(resourceDir(), name, values));
    }

    /**
     * Python's {@code shared_memory.ShareableList(name=name)}: the list in the block named {@code name}, looked up as
     * {@link #sharedMemory(String, boolean, long, boolean)} does.
     *
     * @param name the block's name
     * @return the list the block holds
     * @throws NoSuchFileException when no block has the name
     * @throws IllegalArgumentException when the block holds no shareable list
     */
    public io.mp4j.ipc.shm.ShareableList shareableList(String name) throws NoSuchFileException {
        Objects.requireNonNull(name, "name");
        return stamp(io.mp4j.ipc.shm.ShareableList.of(sharedMemory(name, false, 0)));
    }

    /**
     * Python's {@code Lock()}: a non-reentrant lock shared by processes.
     *
     * @return a new lock, free
     */
    public io.mp4j.ipc.sync.Lock lock() { return stamp(io.mp4j.ipc.sync.Lock.create(resourceDir())); }

    /**
     * Python's {@code RLock()}: a reentrant lock shared by processes.
     *
     * @return a new reentrant lock, free
     */
    public io.mp4j.ipc.sync.RLock rlock() { return stamp(io.mp4j.ipc.sync.RLock.create(resourceDir())); }

    /**
     * Python's {@code Semaphore(value)}.
     *
     * @param value the initial number of permits
     * @return a new semaphore
     */
    public io.mp4j.ipc.sync.Semaphore semaphore(int value) { return stamp(io.mp4j.ipc.sync.Semaphore.create(resourceDir(), value)); }

    /**
     * Python's {@code Semaphore()}: one permit.
     *
     * @return a new semaphore with one permit
     */
    public io.mp4j.ipc.sync.Semaphore semaphore() { return semaphore(1); }

    /**
     * Python's {@code BoundedSemaphore(value)}.
     *
     * @param value the initial and largest number of permits
     * @return a new bounded semaphore
     */
    public io.mp4j.ipc.sync.BoundedSemaphore boundedSemaphore(int value) {
        return stamp(io.mp4j.ipc.sync.BoundedSemaphore.create(resourceDir(), value));
    }

    /**
     * Python's {@code BoundedSemaphore()}: one permit.
     *
     * @return a new bounded semaphore with one permit
     */
    public io.mp4j.ipc.sync.BoundedSemaphore boundedSemaphore() { return boundedSemaphore(1); }

    /**
     * Python's {@code Event()}.
     *
     * @return a new event, not set
     */
    public io.mp4j.ipc.sync.Event event() { return stamp(io.mp4j.ipc.sync.Event.create(resourceDir())); }

    /**
     * Python's {@code Condition()}: over a new RLock.
     *
     * @return a new condition
     */
    public io.mp4j.ipc.sync.Condition condition() { return condition(rlock()); }

    /**
     * Python's {@code Condition(lock)}: over a Lock or RLock of a local context (null: a new RLock).
     *
     * @param lock the lock the condition releases while it waits, or null
     * @return a new condition
     * @throws IllegalArgumentException for a lock made by another back end (a cluster's)
     */
    @Override
    public io.mp4j.ipc.sync.Condition condition(io.mp4j.shared.MpLock lock) {
        if (lock == null || lock instanceof io.mp4j.ipc.sync.SharedLock) return condition((io.mp4j.ipc.sync.SharedLock) lock);
        throw new IllegalArgumentException("a local Condition needs a Lock or RLock of a local context, got a "
                + lock.getClass().getName() + " (" + lock + ")");
    }

    /**
     * Python's {@code Condition(lock)}: over an existing Lock or RLock (null: a new RLock).
     *
     * @param lock the lock the condition releases while it waits, or null
     * @return a new condition
     */
    public io.mp4j.ipc.sync.Condition condition(io.mp4j.ipc.sync.SharedLock lock) {
        return stamp(io.mp4j.ipc.sync.Condition.create(resourceDir(), lock == null ? rlock() : lock));
    }

    /**
     * Python's {@code Barrier(parties)}.
     *
     * @param parties how many parties must arrive
     * @return a new barrier
     */
    public io.mp4j.ipc.sync.Barrier barrier(int parties) { return barrier(parties, null, null); }

    /**
     * Python's {@code Barrier(parties, action, timeout)}: {@code action} (or null) runs once per generation, in
     * the last party to arrive, in whichever process that is; {@code timeout} (or null) is the default for
     * {@code await()} (zero or negative: it does not wait).
     *
     * <p>The action travels with the barrier to other processes, as a process target does. Under THREAD, an action
     * whose captured values cannot travel (a {@code ReentrantLock}, an {@code AtomicInteger}) is kept as it is, for
     * this JVM's threads only.
     *
     * @throws io.mp4j.ipc.codec.CodecException when this context starts processes and the action, or a value it
     *         captures, cannot travel to them (checked here, as a process target is at {@code start()})
     * @param parties how many parties must arrive
     * @param action what the last party to arrive runs, or null
     * @param timeout the default timeout of {@code await()}, or null for none
     * @return a new barrier
     */
    public io.mp4j.ipc.sync.Barrier barrier(int parties, Task action, java.time.Duration timeout) {
        Runnable a = action == null ? null : new BarrierAction(action);
        if (a != null) {
            try {
                ((BarrierAction) a).checkCanTravel();
            } catch (io.mp4j.ipc.codec.CodecException e) {
                if (method.isProcess()) throw e;
                BarrierAction local = (BarrierAction) a;
                a = local::run; // not serializable: the barrier keeps it in this JVM (see Barrier.create)
            }
        }
        return stamp(io.mp4j.ipc.sync.Barrier.create(resourceDir(), parties, a, timeout == null ? -1 : Math.max(0, timeout.toNanos())));
    }

    /**
     * A barrier action that travels like a process target (method + captured values, shared objects as
     * handles) inside the Java serialization the barrier's handle uses.
     */
    private static final class BarrierAction implements io.mp4j.ipc.sync.Barrier.Action {
        private static final long serialVersionUID = 1L;
        private transient io.mp4j.worker.task.FunctionRef ref;

        BarrierAction(Task task) { this.ref = io.mp4j.worker.task.FunctionRef.of(task); }

        /** Encodes the action's captured values, as passing the barrier to a process will: what cannot travel fails now. */
        void checkCanTravel() { ref.checkCanTravel(); }

        @Override
        public void run() {
            try {
                ref.invoke(new Object[0]);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.util.concurrent.CompletionException("the barrier action failed: " + t, t);
            }
        }

        private void writeObject(java.io.ObjectOutputStream out) throws IOException { ref.write(out); }

        private void readObject(java.io.ObjectInputStream in) throws IOException {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            ref = io.mp4j.worker.task.FunctionRef.read(in, cl == null ? Context.class.getClassLoader() : cl);
        }
    }

    // ------------------------------------------------------------------ pipes and connections (issue 5)

    /**
     * A duplex pipe: two connected ends that both send and receive (Python's {@code Pipe()}).
     *
     * @return a new duplex pipe
     */
    public io.mp4j.ipc.connection.Pipe pipe() { return pipe(true); }

    /**
     * A pipe (Python's {@code Pipe(duplex)}); with {@code duplex = false} the first end only receives and
     * the second only sends. Either end can be passed to a child of any start method, where it re-attaches;
     * the socket this process hands ends over from lives in {@link #resourceDir()}.
     *
     * @param duplex whether both ends send and receive
     * @return a new pipe
     */
    public io.mp4j.ipc.connection.Pipe pipe(boolean duplex) {
        return stamp(io.mp4j.ipc.connection.Pipe.open(duplex, this::resourceDir));
    }

    /**
     * A listener on a new Unix-domain socket in this context's private directory, authenticating peers with
     * {@link #authkey()}; {@code listener.address()} is what a child passes to {@link #client}.
     *
     * @return a listener, listening
     * @throws java.io.IOException if the socket cannot be made
     */
    public io.mp4j.ipc.connection.Listener listener() throws java.io.IOException {
        Path socket = resourceDir().resolve("listener-" + LISTENERS.incrementAndGet() + ".sock");
        return listener(java.net.UnixDomainSocketAddress.of(socket), authkey);
    }

    /**
     * A listener on {@code address} (a Unix-domain path, or 127.0.0.1), authenticating peers with {@link #authkey()}.
     *
     * @param address where to listen
     * @return a listener, listening
     * @throws java.io.IOException if the address cannot be bound
     * @throws IllegalArgumentException for an address that is not on the local machine
     */
    public io.mp4j.ipc.connection.Listener listener(java.net.SocketAddress address) throws java.io.IOException {
        return listener(address, authkey);
    }

    /**
     * A listener on {@code address} authenticating peers with {@code authkey} (Python's {@code Listener(address, authkey=...)}).
     *
     * @param address where to listen
     * @param authkey the key peers must prove
     * @return a listener, listening
     * @throws java.io.IOException if the address cannot be bound
     * @throws IllegalArgumentException for an address that is not on the local machine
     */
    public io.mp4j.ipc.connection.Listener listener(java.net.SocketAddress address, byte[] authkey) throws java.io.IOException {
        return stamp(new io.mp4j.ipc.connection.Listener(address, authkey, this::resourceDir));
    }

    /**
     * A connection to the listener at {@code address}, authenticated with {@link #authkey()} (Python's {@code Client}).
     *
     * @param address where a listener listens
     * @return an authenticated connection
     * @throws java.io.IOException if the connection or its handshake fails
     */
    public io.mp4j.ipc.connection.Connection client(java.net.SocketAddress address) throws java.io.IOException {
        return client(address, authkey);
    }

    /**
     * A connection to the listener at {@code address}, authenticated with {@code authkey}.
     *
     * @param address where a listener listens
     * @param authkey the key to prove
     * @return an authenticated connection
     * @throws java.io.IOException if the connection or its handshake fails
     */
    public io.mp4j.ipc.connection.Connection client(java.net.SocketAddress address, byte[] authkey) throws java.io.IOException {
        return stamp(io.mp4j.ipc.connection.Client.connect(address, authkey, this::resourceDir));
    }

    private static final java.util.concurrent.atomic.AtomicInteger LISTENERS = new java.util.concurrent.atomic.AtomicInteger();

    // ------------------------------------------------------------------ queues (issue 6)

    /**
     * An unbounded queue of any registered, record or JDK type (Python's {@code Queue()}).
     *
     * @return a new queue
     */
    public io.mp4j.ipc.queue.Queue<Object> queue() { return queue(Object.class, 0); }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded), of any type (Python's {@code Queue(maxsize)}).
     *
     * @param maxsize the most items it holds (0: unbounded)
     * @return a new queue
     */
    public io.mp4j.ipc.queue.Queue<Object> queue(int maxsize) { return queue(Object.class, maxsize); }

    /**
     * An unbounded queue of {@code elementType} items.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @return a new queue
     */
    public <E> io.mp4j.ipc.queue.Queue<E> queue(Class<E> elementType) { return queue(elementType, 0); }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded) of {@code elementType}, in this context's
     * private directory; it travels to children as an argument.
     *
     * @throws IllegalArgumentException for a negative {@code maxsize}
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @param maxsize the most items it holds
     * @return a new queue
     */
    public <E> io.mp4j.ipc.queue.Queue<E> queue(Class<E> elementType, int maxsize) {
        return stamp(io.mp4j.ipc.queue.Queue.create(resourceDir(), elementType, maxsize));
    }

    /**
     * A simple queue of any type (Python's {@code SimpleQueue()}).
     *
     * @return a new simple queue
     */
    public io.mp4j.ipc.queue.SimpleQueue<Object> simpleQueue() { return simpleQueue(Object.class); }

    /**
     * A simple queue of {@code elementType} items.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @return a new simple queue
     */
    public <E> io.mp4j.ipc.queue.SimpleQueue<E> simpleQueue(Class<E> elementType) {
        return stamp(io.mp4j.ipc.queue.SimpleQueue.create(resourceDir(), elementType));
    }

    /**
     * An unbounded joinable queue of any type (Python's {@code JoinableQueue()}).
     *
     * @return a new joinable queue
     */
    public io.mp4j.ipc.queue.JoinableQueue<Object> joinableQueue() { return joinableQueue(Object.class, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items (0: unbounded), of any type.
     *
     * @param maxsize the most items it holds (0: unbounded)
     * @return a new joinable queue
     */
    public io.mp4j.ipc.queue.JoinableQueue<Object> joinableQueue(int maxsize) { return joinableQueue(Object.class, maxsize); }

    /**
     * An unbounded joinable queue of {@code elementType} items.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @return a new joinable queue
     */
    public <E> io.mp4j.ipc.queue.JoinableQueue<E> joinableQueue(Class<E> elementType) { return joinableQueue(elementType, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items (0: unbounded) of {@code elementType}.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @param maxsize the most items it holds (0: unbounded)
     * @return a new joinable queue
     */
    public <E> io.mp4j.ipc.queue.JoinableQueue<E> joinableQueue(Class<E> elementType, int maxsize) {
        return stamp(io.mp4j.ipc.queue.JoinableQueue.create(resourceDir(), elementType, maxsize));
    }

    // ------------------------------------------------------------------ pools and executors (issue 7)

    /**
     * A pool with one worker per usable processor (Python's {@code ctx.Pool()}).
     *
     * @return a new pool, its workers starting
     */
    public Pool pool() { return Pool.builder().context(this).build(); }

    /**
     * A pool of {@code processes} workers (Python's {@code ctx.Pool(processes)}).
     *
     * @param processes the number of workers
     * @return a new pool, its workers starting
     */
    public Pool pool(int processes) { return Pool.builder().context(this).processes(processes).build(); }

    /**
     * Python's {@code ctx.Pool(processes, initializer, (arg,), maxtasksperchild)}; maxtasksperchild {@code null}:
     * never replaced (Python's {@code None}); 0 is refused, as in Python.
     *
     * @param <A> the initializer's argument type
     * @param processes the number of workers
     * @param initializer runs once in each worker before its first task
     * @param initarg the initializer's argument
     * @param maxtasksperchild items per worker before it is replaced, or null for no limit
     * @return a new pool, its workers starting
     * @throws IllegalArgumentException when {@code maxtasksperchild} is 0 or less
     */
    public <A> Pool pool(int processes, Task1<A> initializer, A initarg, Integer maxtasksperchild) {
        Pool.Builder b = Pool.builder().context(this).processes(processes).initializer(initializer, initarg);
        if (maxtasksperchild != null) b.maxTasksPerChild(maxtasksperchild);
        return b.build();
    }

    /**
     * A builder for a pool of this context (initializer, maxTasksPerChild, task timeout).
     *
     * @return a builder bound to this context
     */
    public Pool.Builder poolBuilder() { return Pool.builder().context(this); }

    /**
     * Python's {@code ProcessPoolExecutor(max_workers, mp_context=ctx)}.
     *
     * @param maxWorkers the number of workers
     * @return a new executor
     */
    public ProcessPoolExecutor processPoolExecutor(int maxWorkers) {
        return ProcessPoolExecutor.builder().context(this).maxWorkers(maxWorkers).build();
    }

    /**
     * A builder for a process pool executor of this context.
     *
     * @return a builder bound to this context
     */
    public ProcessPoolExecutor.Builder executorBuilder() { return ProcessPoolExecutor.builder().context(this); }

    // ------------------------------------------------------------------ managers (issue 26)

    /**
     * Python's {@code ctx.Manager()}: a started manager, whose server process this context starts; its proxies
     * (dict, list, Namespace, queues, locks, values...) work in every process of this JVM's tree. Shut it down with
     * {@code close()} (try-with-resources) or {@code shutdown()}. See {@link io.mp4j.managers.SyncManager}.
     *
     * @throws IllegalStateException when the server could not start
     * @return a started manager
     */
    public io.mp4j.managers.SyncManager manager() { return managerBuilder().start(); }

    /**
     * A builder of a manager of this context: an address and key for other JVMs, registered types.
     *
     * @return a builder of a manager with this context's start method and key
     */
    public io.mp4j.managers.SyncManager.Builder managerBuilder() { return io.mp4j.managers.SyncManager.builder(this); }

    /**
     * The local back end of this context's pools and executors: workers started with this context's start method,
     * on this machine. {@code Pool.builder().backend(...)} takes another (a cluster's) in its place.
     *
     * @return the factory of this context's pool back ends
     */
    public io.mp4j.spi.PoolBackendFactory poolBackends() { return spec -> new io.mp4j.core.pool.LocalPool(this, spec, this::poolWorker); }

    /** A pool's worker process, which runs the pool's worker loop with {@code settings} (a launch of its own kind). */
    MpProcess poolWorker(byte[] settings) { return new MpProcess(this, settings); }

    // ------------------------------------------------------------------ resources

    /**
     * This context's private directory (mode 0700) for named resources, created on first call; removed
     * when this JVM exits, however it exits.
     *
     * @return the directory's path
     */
    public Path resourceDir() {
        Path d = resourceDir;
        if (d != null) return d;
        synchronized (this) {
            if (resourceDir == null) {
                try {
                    Path base = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
                    String rnd = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
                    Path dir = base.resolve("mp4j-" + ProcessHandle.current().pid() + "-" + method.pythonName() + "-" + rnd);
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    tracker = ResourceTracker.start(dir);
                    ProcessRegistry.atExit(tracker::closeAndWait);
                    resourceDir = dir;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the context's private directory: " + e.getMessage(), e);
                }
            }
            return resourceDir;
        }
    }

    /** The private directory if it exists already, else {@code null}. */
    String existingResourceDir() {
        Path d = resourceDir;
        return d == null ? null : d.toString();
    }

    @Override
    public String toString() { return "Context[" + method.pythonName() + "]"; }

    static byte[] newAuthkey() { return new SecureRandom().generateSeed(32); }
}
