package io.mp4j;

import io.mp4j.core.ChildHandle;
import io.mp4j.core.ProcessRegistry;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.worker.ChildRuntime;
import io.mp4j.worker.Launch;
import io.mp4j.worker.task.FunctionRef;
import io.mp4j.worker.task.InstanceRef;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process: Python's {@code multiprocessing.Process}, named so as not to clash with {@link java.lang.Process}.
 *
 * <p>Either give it a target, a serializable method reference or lambda, with its arguments:
 * <pre>{@code
 * MpProcess p = Multiprocessing.process(Squares::printSquare, 10);
 * p.start();
 * p.join();
 * }</pre>
 * or subclass it and override {@link #run()}; the subclass must be a top-level or static nested class,
 * and its non-transient fields travel to the child.
 *
 * <p>Arguments are encoded in the parent at {@link #start()} against the target's declared parameter
 * types; something that cannot travel fails there, naming the argument. Shared objects (values, locks,
 * queues, connections) travel as handles and re-attach in the child.
 *
 * <p>Exit codes follow Python: {@code null} while running, 0 on return, 1 after an uncaught exception
 * (which the child prints as {@code Process <name>:} and the stack trace), the code passed to
 * {@link Multiprocessing#exit(int)}, {@code -15} after {@link #terminate()}, {@code -9} after {@link #kill()}.
 *
 * <p>Not thread-safe for configuration (name, daemon) before {@code start()}; the query and control
 * methods ({@code join}, {@code isAlive}, {@code exitCode}, {@code terminate}) may be called from any thread.
 */
public class MpProcess implements BaseProcess {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private enum State { NEW, STARTED, CLOSED, VIEW }

    // Travels with a subclass instance (see InstanceRef): everything else is transient.
    private String name;
    private boolean daemon;

    private final transient Context context;
    private final transient FunctionRef function;
    private final transient Object[] args;
    private final transient byte[] poolWorker;
    private transient volatile State state = State.NEW;
    private transient volatile ChildHandle handle;
    private transient volatile Integer exitCode;
    private transient String identity;
    private transient long viewPid;
    private final transient Object lock = new Object();

    /** For subclasses that override {@link #run()}; uses the default context. */
    protected MpProcess() { this(Multiprocessing.getContext()); }

    /**
     * For subclasses that override {@link #run()}, started with {@code context}'s start method.
     *
     * @param context the context whose start method starts it
     */
    protected MpProcess(Context context) {
        this.context = Objects.requireNonNull(context, "context");
        this.function = null;
        this.args = new Object[0];
        this.poolWorker = null;
        assignIdentity();
    }

    MpProcess(Context context, Serializable target, Object[] args) {
        this.context = Objects.requireNonNull(context, "context");
        this.function = FunctionRef.of(Objects.requireNonNull(target, "target"));
        this.args = args.clone();
        this.poolWorker = null;
        function.checkArgs(this.args);
        assignIdentity();
    }

    /** A pool's worker: a launch of its own kind, which runs the pool's worker loop with {@code settings}. */
    MpProcess(Context context, byte[] poolWorkerSettings) {
        this.context = Objects.requireNonNull(context, "context");
        this.function = null;
        this.args = new Object[0];
        this.poolWorker = poolWorkerSettings.clone();
        assignIdentity();
    }

    /** A view of a process that is already running (the current or the parent process). */
    MpProcess(String name, long pid, boolean daemon) {
        this.context = null;
        this.function = null;
        this.args = new Object[0];
        this.poolWorker = null;
        this.name = name;
        this.viewPid = pid;
        this.daemon = daemon;
        this.state = State.VIEW;
    }

    private void assignIdentity() {
        String parent = ChildRuntime.identity();
        int n = COUNTER.incrementAndGet();
        identity = parent.isEmpty() ? Integer.toString(n) : parent + ":" + n;
        name = "Process-" + identity;
    }

    // ------------------------------------------------------------------ configuration

    /**
     * The process's name (Python's {@code name}): {@code Process-N} unless set.
     *
     * @return the name
     */
    public String getName() { return name; }

    /**
     * Sets the name (any time before {@code start()}); returns this process.
     *
     * @param name the new name
     * @return this process
     * @throws IllegalStateException after {@code start()}
     */
    public MpProcess setName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name must not be empty: name=" + name);
        synchronized (lock) {
            checkNew("setName");
            this.name = name;
        }
        return this;
    }

    /**
     * Whether the process is a daemon (Python's {@code daemon}).
     *
     * @return whether it is one
     */
    public boolean isDaemon() { return daemon; }

    /**
     * Marks the process as a daemon: terminated when its parent exits, instead of being waited for.
     * Must be set before {@code start()}.
     *
     * @param daemon whether it is a daemon
     * @return this process
     * @throws IllegalStateException after {@code start()}
     */
    public MpProcess setDaemon(boolean daemon) {
        synchronized (lock) {
            checkNew("setDaemon");
            this.daemon = daemon;
        }
        return this;
    }

    /**
     * The start method of the context that made this process.
     *
     * @return the start method, or null for the views of the current and parent process
     */
    public StartMethod startMethod() { return context == null ? null : context.startMethod(); }

    /**
     * The context that made this process ({@code null} for the current/parent process views).
     *
     * @return the context, or null
     */
    public Context context() { return context; }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Starts the process. Everything the child needs is encoded here, so an argument or target that
     * cannot travel fails in this call, naming it, and nothing is started.
     *
     * @throws IllegalStateException when called twice, or on a closed process
     */
    public void start() {
        synchronized (lock) {
            checkNew("start");
            ChildHandle h;
            try {
                h = context.launch(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot start process " + name + ": " + e.getMessage(), e);
            }
            handle = h;
            state = State.STARTED;
        }
        handle.begin();
        ChildHandle h = handle;
        RegistryEntry entry = new RegistryEntry();
        ProcessRegistry.add(entry);
        ActiveChildren.add(this);
        h.onExit().whenComplete((code, err) -> {
            exitCode = err == null ? code : Integer.valueOf(1);
            ProcessRegistry.remove(entry);
        });
        if (!daemon && context.startMethod().isProcess()) {
            ProcessRegistry.keepAlive(name, () -> h.onExit().exceptionally(e -> 1).join());
        }
    }

    /** The class whose class loaders give a child JVM its class path: the target's, or this subclass. */
    Class<?> classPathAnchor() { return function != null ? function.declaringClass() : getClass(); }

    /** Encodes the launch message: what the child reads on its standard input. */
    byte[] launchFrame() {
        Launch l = new Launch();
        l.name = name;
        l.identity = identity;
        l.daemon = daemon;
        l.parentPid = ProcessHandle.current().pid();
        l.parentName = ChildRuntime.name();
        l.startMethod = context.startMethod().pythonName();
        l.contextDir = context.existingResourceDir();
        l.authkey = context.authkey();
        l.registered = Codec.registeredNames();
        l.modules = Codec.moduleNames();
        if (poolWorker != null) l.poolWorker = poolWorker;
        else if (isSubclassTask()) l.instance = new InstanceRef(this);
        else {
            for (int i = 0; i < args.length; i++) context.checkCompatible(args[i], "argument " + i + " of process " + name);
            for (Object c : function.capturedValues()) context.checkCompatible(c, "a value captured by the target of process " + name);
            l.function = function;
            l.args = args;
        }
        context.snapshot(this, l);
        ByteArrayOutputStream bos = new ByteArrayOutputStream(256);
        try {
            l.write(new DataOutputStream(bos));
            byte[] frame = bos.toByteArray();
            // decode here too: whatever the child could not decode fails now, in the caller
            // with the target's class loader: a child resolves the same names on a class path made from it
            ClassLoader loader = classPathAnchor().getClassLoader();
            ClassLoader decoding = loader != null ? loader : MpProcess.class.getClassLoader();
            Codec.checkOnly(() -> Launch.read(new DataInputStream(new ByteArrayInputStream(frame)), decoding));
            return frame;
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the task of process " + name + ": " + e.getMessage(), e);
        }
    }

    boolean isSubclassTask() { return function == null && poolWorker == null; }

    boolean isPoolWorker() { return poolWorker != null; }

    FunctionRef function() { return function; }

    /**
     * What the process does: calls the target with its arguments. A subclass overrides this instead of
     * giving a target; it then runs in the child JVM on a re-created copy of this object.
     *
     * @throws Exception whatever the target throws: the child prints it and exits with code 1
     */
    public void run() throws Exception {
        if (poolWorker != null) {
            io.mp4j.worker.pool.WorkerLoop.run(poolWorker);
            return;
        }
        if (function == null) return;
        try {
            function.invoke(args);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Waits until the process ends.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException before {@code start()}
     */
    public void join() throws InterruptedException {
        startedHandle("join").awaitExit();
    }

    /**
     * Waits at most {@code timeout} for the process to end; returns whether it has ended (Python's
     * {@code join(timeout)} followed by {@code exitcode is not None}). A timeout of zero or less does not wait.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether the process has ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        return startedHandle("join").awaitExit(Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * {@link #join(long, TimeUnit)} with a {@link Duration} (zero or negative: does not wait).
     *
     * @param timeout how long to wait at most
     * @return whether the process has ended
     * @throws InterruptedException if interrupted while waiting
     */
    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return join(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Completes with the exit code when the process ends (usable with {@code Connection.wait} and futures).
     *
     * @return a future of the exit code
     */
    public CompletableFuture<Integer> onExit() {
        return startedHandle("onExit").onExit().copy();
    }

    /**
     * Whether the process has started and not yet ended (Python's {@code is_alive()}; false before {@code start()}).
     *
     * @return whether it is alive
     * @throws IllegalStateException once the process object is closed, as {@code join} and {@code terminate} do
     */
    public boolean isAlive() {
        if (state == State.CLOSED) throw closed("isAlive");
        return running();
    }

    /** {@link #isAlive()} without the closed check (for the library's own bookkeeping). */
    boolean running() {
        if (state == State.VIEW) return ProcessHandle.of(viewPid).map(ProcessHandle::isAlive).orElse(false);
        ChildHandle h = handle;
        return h != null && !h.onExit().isDone();
    }

    /**
     * The process id, or {@code null} before {@code start()}.
     *
     * @return the pid, or null
     */
    public Long pid() {
        if (state == State.VIEW) return viewPid;
        ChildHandle h = handle;
        return h == null ? null : h.pid();
    }

    /**
     * The pid of this process's parent: the caller for SPAWN and FORK children, the fork server for
     * FORKSERVER children (the caller for those started before the server ran), this JVM for THREAD; for {@link Multiprocessing#currentProcess()}, its parent.
     * {@code null} before start or when the parent is unknown.
     *
     * @return the parent's pid, or null
     */
    public Long parentPid() {
        if (state == State.VIEW) {
            if (viewPid == ProcessHandle.current().pid()) {
                return ChildRuntime.isChild() ? ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(ChildRuntime.parentPid())
                        : ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(null);
            }
            return ProcessHandle.of(viewPid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(null);
        }
        ChildHandle h = handle;
        if (h == null) return null;
        if (startMethod() == StartMethod.THREAD) return ProcessHandle.current().pid();
        return ProcessHandle.of(h.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(null);
    }

    /**
     * The exit code in Python's convention, or {@code null} while running or before start.
     *
     * @return the exit code, or null
     */
    public Integer exitCode() {
        ChildHandle h = handle;
        if (h == null) return null;
        return h.onExit().isDone() ? h.onExit().exceptionally(e -> 1).join() : null;
    }

    /** Sends SIGTERM (a THREAD process is interrupted instead). */
    public void terminate() { startedHandle("terminate").terminate(); }

    /** Sends SIGKILL (a THREAD process is interrupted instead). */
    public void kill() { startedHandle("kill").kill(); }

    /**
     * Python 3.14's {@code interrupt()}: sends SIGINT. The child's default reaction is that of an uncaught exception
     * in its target: it prints {@code Process <name>:} and its task thread's stack, and ends with exit code 1
     * (Python's {@code KeyboardInterrupt}); a child that installed its own SIGINT handler
     * ({@code sun.misc.Signal.handle}) reacts as that says. A THREAD process's thread is interrupted instead, and
     * a target that ends by an exception after it is reported the same way. Nothing happens once the process ended.
     *
     * @throws IllegalStateException before {@code start()}, or once the process object is closed
     */
    public void interrupt() { startedHandle("interrupt").interrupt(); }

    /**
     * Releases the process object (Python's {@code close()}). Allowed once the process has ended (or was never
     * started). Afterwards {@code start}, {@code join}, {@code isAlive}, {@code terminate}, {@code kill},
     * {@code interrupt} and {@code onExit} throw {@link IllegalStateException}; the name, pid and exit code stay.
     *
     * @throws IllegalStateException while the process is still running
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (state == State.STARTED && running()) {
                throw new IllegalStateException("cannot close process " + name + " while it is still running: pid=" + pid());
            }
            if (handle != null) handle.release();
            state = State.CLOSED;
        }
    }

    private ChildHandle startedHandle(String op) {
        State s = state;
        if (s == State.VIEW) throw new IllegalStateException("cannot " + op + " " + name + ": it is not a child of this process");
        if (s == State.CLOSED) throw closed(op);
        ChildHandle h = handle;
        if (h == null) throw new IllegalStateException("cannot " + op + " process " + name + ": it was not started");
        return h;
    }

    private IllegalStateException closed(String op) {
        return new IllegalStateException("cannot " + op + " process " + name + ": it is closed");
    }

    private void checkNew(String op) {
        if (state == State.VIEW) throw new IllegalStateException("cannot " + op + " " + name + ": it represents a running process");
        if (state == State.CLOSED) throw new IllegalStateException("cannot " + op + " process " + name + ": it is closed");
        if (state != State.NEW) throw new IllegalStateException("cannot " + op + " process " + name + ": it was already started (pid=" + pid() + ")");
    }

    @Override
    public String toString() {
        Integer code = exitCode();
        String st = switch (state) {
            case NEW -> "initial";
            case VIEW -> "started";
            case CLOSED -> "closed";
            case STARTED -> code == null ? "started" : "stopped exitcode=" + code;
        };
        return "<MpProcess name='" + name + "' " + (pid() == null ? "" : "pid=" + pid() + " ") + st + (daemon ? " daemon>" : ">");
    }

    private final class RegistryEntry implements ProcessRegistry.Entry {
        @Override public boolean isDaemon() { return daemon; }

        @Override public void terminateAtExit() {
            ChildHandle h = handle;
            if (h != null && !h.onExit().isDone()) h.terminate();
        }

        @Override public boolean awaitAtExit(long nanos) throws InterruptedException {
            ChildHandle h = handle;
            return h == null || h.awaitExit(nanos);
        }

        @Override public void killAtExit() {
            ChildHandle h = handle;
            if (h != null && !h.onExit().isDone()) h.kill();
        }

        @Override public void awaitAtExit() throws InterruptedException {
            ChildHandle h = handle;
            if (h == null) return;
            try {
                if (daemon) {
                    try {
                        h.onExit().get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        h.kill();
                    }
                } else {
                    h.onExit().get();
                }
            } catch (java.util.concurrent.ExecutionException ignored) {
                // ended abnormally; nothing to wait for
            }
        }
    }
}
