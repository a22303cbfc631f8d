package io.mp4j;

import io.mp4j.core.ChildHandle;
import io.mp4j.core.ForkLauncher;
import io.mp4j.core.ForkServerLauncher;
import io.mp4j.core.Launcher;
import io.mp4j.core.ProcessRegistry;
import io.mp4j.core.SpawnLauncher;
import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;
import io.mp4j.function.Task4;
import io.mp4j.worker.Launch;
import io.mp4j.worker.ResourceTracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
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
 */
public final class Context {
    private final StartMethod method;
    private final byte[] authkey;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<Class<?>> snapshotClasses = new ArrayList<>();
    private final List<String> forkserverPreload = new ArrayList<>();
    private volatile Launcher launcher;
    private volatile Path resourceDir;
    private ResourceTracker tracker;

    Context(StartMethod method, byte[] authkey) {
        this.method = method;
        this.authkey = authkey.clone();
    }

    public StartMethod startMethod() { return method; }

    /** The key that children and this process's listeners use to authenticate each other. */
    public byte[] authkey() { return authkey.clone(); }

    // ------------------------------------------------------------------ processes

    /** A process that will run {@code target} (Python's {@code Process(target=f)}). */
    public MpProcess process(Task target) { return new MpProcess(this, target, new Object[0]); }

    /**
     * Starts what makes this context's processes start fast, ahead of need: the warm standby JVMs of
     * FORK, the fork server of FORKSERVER. Called by the first process made; nothing for SPAWN and THREAD.
     */
    public Context prewarm() {
        if (method == StartMethod.FORK || method == StartMethod.FORKSERVER) launcher();
        return this;
    }

    /** A process that will run {@code target(a)}. */
    public <A> MpProcess process(Task1<A> target, A a) { return new MpProcess(this, target, new Object[]{a}); }

    /** A process that will run {@code target(a, b)}. */
    public <A, B> MpProcess process(Task2<A, B> target, A a, B b) { return new MpProcess(this, target, new Object[]{a, b}); }

    /** A process that will run {@code target(a, b, c)}. */
    public <A, B, C> MpProcess process(Task3<A, B, C> target, A a, B b, C c) {
        return new MpProcess(this, target, new Object[]{a, b, c});
    }

    /** A process that will run {@code target(a, b, c, d)}. */
    public <A, B, C, D> MpProcess process(Task4<A, B, C, D> target, A a, B b, C c, D d) {
        return new MpProcess(this, target, new Object[]{a, b, c, d});
    }

    /** Extra JVM options for child JVMs started by this context from now on (e.g. {@code -Xmx256m}). */
    public synchronized Context addJvmOptions(String... options) {
        for (String o : options) jvmOptions.add(Objects.requireNonNull(o, "option"));
        return this;
    }

    synchronized List<String> jvmOptions() { return List.copyOf(jvmOptions); }

    /**
     * Adds classes whose non-final static fields travel in the FORK snapshot, besides the target's
     * declaring class and its nested classes. No effect under other start methods.
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
        Launcher l = launcher();
        byte[] frame = p.launchFrame();
        return l.launch(frame, p.getName());
    }

    /** Adds the FORK snapshot to a launch message (nothing under other start methods). */
    void snapshot(MpProcess p, Launch l) {
        if (method == StartMethod.FORK) ForkSnapshot.take(this, p, l);
    }

    private Launcher startForkServer() {
        try {
            return new ForkServerLauncher(resourceDir(), authkey, forkserverPreload(), jvmOptions());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fork server: " + e.getMessage(), e);
        }
    }

    /**
     * Classes the fork server's warm JVMs load before they are needed (Python's
     * {@code set_forkserver_preload}); takes effect when the server starts, at the first FORKSERVER process.
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

    private Launcher launcher() {
        Launcher l = launcher;
        if (l == null) {
            synchronized (this) {
                l = launcher;
                if (l == null) {
                    l = switch (method) {
                        case SPAWN -> new SpawnLauncher(jvmOptions());
                        case FORK -> new ForkLauncher(jvmOptions());
                        case FORKSERVER -> startForkServer();
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

    // ------------------------------------------------------------------ pipes and connections (issue 5)

    // ------------------------------------------------------------------ queues (issue 6)

    // ------------------------------------------------------------------ pools and executors (issue 7)

    // ------------------------------------------------------------------ resources

    /**
     * This context's private directory (mode 0700) for named resources, created on first call; removed
     * when this JVM exits, however it exits.
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
