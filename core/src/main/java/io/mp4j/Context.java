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

import java.time.Duration;
import java.util.ArrayList;
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
 *
 * <p>The factories come in layers, each in its own file with its documentation: the context's key, directory and
 * stamps ({@code ContextBase}), shared memory and synchronization ({@code SharedObjectFactories}), pipes,
 * connections and queues ({@code ChannelFactories}), and here processes and their JVMs, pools, executors and managers.
 */
public final class Context extends ChannelFactories implements BaseContext {
    private final List<String> jvmOptions = new ArrayList<>();
    private boolean inheritJvmOptions = true;
    private final List<Class<?>> snapshotClasses = new ArrayList<>();
    private final List<String> forkserverPreload = new ArrayList<>();
    private volatile Launcher launcher;

    Context(StartMethod method, byte[] authkey) { super(method, authkey); }

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
     * FORK, the fork server of FORKSERVER and its standbys; nothing for SPAWN and THREAD. Without it the standbys and the
     * fork server start once the first process has ended (never when a process is only made): the starts before then
     * get a JVM started for them by this JVM, as under SPAWN.
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

    /**
     * Classes the fork server's warm JVMs load before they are needed (Python's
     * {@code set_forkserver_preload}); takes effect when the server starts (once the first FORKSERVER process has ended,
     * or at {@link #prewarm()}), and for the JVMs started before it runs, which load them beside their target.
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
                        case FORK -> new ForkLauncher(this::resourceDir, spec);
                        case FORKSERVER -> new ForkServerLauncher(this::resourceDir, authkey, forkserverPreload(), spec);
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

    @Override
    public String toString() { return "Context[" + method.pythonName() + "]"; }
}
