package io.mp4j.core.pool;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.PoolStats;
import io.mp4j.WorkerDiedException;
import io.mp4j.spi.Job;
import io.mp4j.spi.PoolBackend;
import io.mp4j.spi.PoolSpec;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.worker.pool.PoolWire;
import io.mp4j.worker.pool.WireBuffer;
import io.mp4j.worker.pool.WorkerLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machinery behind {@code Pool} and {@code ProcessPoolExecutor}: worker processes made by the pool's
 * context (each runs {@link WorkerLoop#run}), a pair of named pipes per worker in the context's private
 * directory (removed as soon as both sides have opened them), a queue of pending work, and one reader
 * thread per worker. Pipes rather than Unix-domain sockets: every worker is a fresh JVM, and its first socket
 * costs it far more of its start (the socket classes, a SecureRandom) than a pipe opened as a file
 * (docs/journal/2026-11-23-starts-pools-scaling.md#pool-starts).
 *
 * <p>Work is pushed, not pulled: each worker is kept supplied with about a millisecond of queued tasks
 * (one at a time while their length is unknown or {@code LONG_TASK_NANOS} or more, else at least two; at most
 * {@code MAX_INFLIGHT_TASKS} and {@code MAX_INFLIGHT_BYTES} bytes), all written in one system call, so tiny tasks are batched and
 * pipelined while long ones stay balanced across workers. Results come back in order per worker, so the
 * pool always knows what each worker is running: when a worker ends unexpectedly, the task it was running
 * fails with a {@link WorkerDiedException}, the tasks queued behind it go back to the front of the queue,
 * and a new worker takes its place.
 *
 * <p>State (all guarded by {@code lock}): {@code state} goes RUNNING -> CLOSED (no new work; workers
 * stop when the queue is empty) or RUNNING/CLOSED -> TERMINATED (workers killed, work cancelled) or
 * -> BROKEN (the initializer failed, or workers cannot start: work fails with the cause).
 * A worker goes STARTING -> READY (connected) -> STOPPING (told to stop) -> GONE, or to GONE from any state.
 */
public final class PoolEngine implements PoolBackend {

    private enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

    private enum WState { STARTING, READY, STOPPING, GONE }

    private static final Logger LOG = LoggerFactory.getLogger(PoolEngine.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    /** At most this much sent and not answered, below a pipe's 64 KiB, so a write to a busy worker never blocks. */
    private static final long MAX_INFLIGHT_BYTES = 48 << 10;
    private static final int MAX_INFLIGHT_TASKS = 256;
    private static final long QUEUED_WORK_NANOS = 1_000_000;
    private static final long LONG_TASK_NANOS = 5_000_000;
    private static final int MAX_START_FAILURES = 3;

    private final Context ctx;
    private final PoolSpec config;
    private final FunctionTable.Entry initializer;
    private final int maxTasks;
    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final int poolNumber;
    private final ExecutorService spawner;
    private final String workerPrefix;
    /**
     * The initializer's encoded arguments for the next worker that connects: encoded with the pool (what cannot
     * travel fails there), then anew for each later worker, since a connection end travels as a one-time claim.
     */
    private final AtomicReference<byte[]> firstInitPayload = new AtomicReference<>();
    /** How many of its workers' JVMs the pool starts at once ({@link #startingLimit}). */
    private final int startingLimit;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Work> pending = new ArrayDeque<>();
    private final List<Slot> workers = new ArrayList<>();
    private final Map<MpProcess, Boolean> liveProcesses = new IdentityHashMap<>();
    private State state = State.RUNNING;
    private Throwable brokenCause;
    private long seq;
    private int nextWorkerId;
    private int startFailures;
    private boolean initialStarted;
    private boolean finished;

    private final LongAdder completed = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    private final LongAdder replaced = new LongAdder();

    /** A range of a batch's items not yet sent. */
    private static final class Work {
        final Batch batch;
        int from;
        final int to;

        Work(Batch batch, int from, int to) {
            this.batch = batch;
            this.from = from;
            this.to = to;
        }
    }

    /** A range of a batch's items sent to a worker as one task. */
    private record Dispatch(Batch batch, int from, int to, long seq, int bytes) {}

    /** A worker as the pool sees it. */
    private final class Slot {
        final int id;
        final String name;
        MpProcess proc;
        Path base;                 // base + ".in": tasks to the worker; base + ".out": results from it
        FileChannel bootRx, bootTx; // read-write ends held until the worker has opened its own
        FileChannel rx, tx;         // read-only and write-only ends once it has (tx != null: connected)
        WState st = WState.STARTING;
        boolean launched;          // handed to the spawner (a STARTING worker may still wait for its turn)
        final ArrayDeque<Dispatch> inflight = new ArrayDeque<>();
        long inflightBytes;
        int budget;
        final java.util.BitSet fns = new java.util.BitSet();
        final WireBuffer out = new WireBuffer(1 << 12);
        boolean saidBye;
        String byeReason;

        Slot(int id) {
            this.id = id;
            this.name = workerPrefix + id;
            this.budget = maxTasks > 0 ? maxTasks : -1;
        }

        long pid() { return proc == null || proc.pid() == null ? -1 : proc.pid(); }
    }

    /**
     * Makes a pool and starts its workers, without waiting for them.
     *
     * @param ctx the context whose start method the workers use
     * @param config how the pool is made (checked by {@link PoolSpec})
     * @throws IllegalArgumentException for a maxMemoryPerChild (not supported), or an initializer that cannot travel
     * @throws IllegalStateException for an initializer whose class the workers could not load
     */
    public PoolEngine(Context ctx, PoolSpec config) {
        if (config.maxMemoryPerChild() > 0) throw new IllegalArgumentException("maxMemoryPerChild is not supported yet: maxMemoryPerChild=" + config.maxMemoryPerChild());
        this.config = config;
        this.ctx = ctx;
        this.initializer = config.initializer() == null ? null : FunctionTable.forWorkersOf(ctx.startMethod()).entry(config.initializer());
        this.maxTasks = config.maxTasksPerChild() == null ? 0 : config.maxTasksPerChild();
        String method = ctx.startMethod().pythonName();
        this.workerPrefix = Character.toUpperCase(method.charAt(0)) + method.substring(1) + "PoolWorker-";
        this.firstInitPayload.set(encodeInit());
        this.startingLimit = startingLimit(ctx.startMethod(), Runtime.getRuntime().availableProcessors());
        int n = POOLS.incrementAndGet();
        this.poolNumber = n;
        ctx.resourceDir();
        ThreadPoolExecutor sp = new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon(true).name("mp4j-pool-" + n + "-spawner").unstarted(r));
        this.spawner = sp;
        lock.lock();
        try {
            ensureWorkers();
            initialStarted = true;
        } finally {
            lock.unlock();
        }
    }

    private byte[] encodeInit() {
        WireBuffer b = new WireBuffer(64);
        try {
            b.writeBoolean(initializer != null);
            if (initializer != null) {
                Object[] a = config.initargs();
                initializer.ref().checkArgs(a);
                initializer.ref().write(b);
                initializer.ref().writeArgs(b, a);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.copy(0, b.size());
    }

    @Override public int processes() { return config.processes(); }

    @Override public String kind() { return ctx.startMethod().pythonName(); }

    // ------------------------------------------------------------------ submitting and cancelling

    /**
     * Queues every item of {@code job}, which must be a {@link Batch}.
     *
     * @param job the items, encoded
     * @throws IllegalStateException unless the pool accepts work
     * @throws IllegalArgumentException for a job of another back end
     */
    @Override public void submit(Job job) {
        if (!(job instanceof Batch b)) throw new IllegalArgumentException("not a job of the local back end: " + job);
        lock.lock();
        try {
            checkAccepting();
            if (b.size == 0) return;
            pending.addLast(new Work(b, 0, b.size));
            pump();
        } finally {
            lock.unlock();
        }
    }

    @Override public void checkAccepting() {
        lock.lock();
        try {
            switch (state) {
                case RUNNING -> { }
                case CLOSED -> throw new IllegalStateException("Pool not running: it was closed");
                case TERMINATED -> throw new IllegalStateException("Pool not running: it was terminated");
                case BROKEN -> throw new IllegalStateException("Pool not running: it is broken: " + brokenCause.getMessage(), brokenCause);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Cancels what is left of {@code job}: its queued items are dropped and a worker running one of its items
     * is killed and replaced. Returns false when the batch was already cancelled.
     *
     * @param job the batch
     * @param reason what its sink is completed with
     * @return whether this call cancelled it
     */
    @Override public boolean cancel(Job job, CancellationException reason) {
        Batch b = (Batch) job;
        lock.lock();
        try {
            if (!b.markCancelled()) return false;
            pending.removeIf(w -> w.batch == b);
            for (Slot w : List.copyOf(workers)) {
                Dispatch head = w.inflight.peekFirst();
                if (head != null && head.batch == b && w.st != WState.GONE) {
                    w.inflight.pollFirst();
                    kill(w, true);
                }
            }
            ensureWorkers();
            pump();
        } finally {
            lock.unlock();
        }
        b.sink.cancelled(reason);
        return true;
    }

    // ------------------------------------------------------------------ life cycle

    @Override public void close() {
        lock.lock();
        try {
            if (state == State.RUNNING) state = State.CLOSED;
            pump();
            maybeFinish();
        } finally {
            lock.unlock();
        }
    }

    @Override public void terminate() {
        fail(State.TERMINATED, new CancellationException("the pool was terminated"));
    }

    private void fail(State newState, Throwable reason) {
        List<Batch> hit = new ArrayList<>();
        lock.lock();
        try {
            if (state == State.TERMINATED || state == State.BROKEN) return;
            state = newState;
            if (newState == State.BROKEN) brokenCause = reason;
            for (Work w : pending) if (!hit.contains(w.batch)) hit.add(w.batch);
            pending.clear();
            for (Slot w : List.copyOf(workers)) {
                for (Dispatch d : w.inflight) if (!hit.contains(d.batch)) hit.add(d.batch);
                w.inflight.clear();
                kill(w, false);
            }
            maybeFinish();
        } finally {
            lock.unlock();
        }
        for (Batch b : hit) if (b.markCancelled()) b.sink.cancelled(reason);
    }


    /**
     * Waits until every worker of the pool has started and connected; false on timeout. A pool starts its
     * workers when it is made, without waiting; this is for programs that want them ready before timing.
     *
     * @param nanos how long to wait at most
     * @return whether every worker is up
     * @throws InterruptedException if interrupted while waiting
     */
    @Override public boolean awaitWorkers(long nanos) throws InterruptedException {
        long deadline = deadline(nanos);
        lock.lock();
        try {
            while (true) {
                int ready = 0;
                for (Slot w : workers) if (w.st == WState.READY) ready++;
                if (ready >= config.processes() || state != State.RUNNING) return ready >= config.processes();
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    private static long deadline(long nanos) {
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + nanos;
    }

    @Override public boolean awaitFinished(long nanos, boolean requireStopped) throws InterruptedException {
        long deadline = deadline(nanos);
        lock.lock();
        try {
            if (requireStopped && state == State.RUNNING) throw new IllegalStateException("Pool is still running: call close() or terminate() before join()");
            while (state == State.RUNNING || !workers.isEmpty() || !liveProcesses.isEmpty() || !pending.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override public void cancelQueued() {
        List<Batch> hit = new ArrayList<>();
        lock.lock();
        try {
            for (var it = pending.iterator(); it.hasNext(); ) {
                Work w = it.next();
                if (w.from == 0 && w.to == w.batch.size && w.batch.markCancelled()) {
                    hit.add(w.batch);
                    it.remove();
                }
            }
        } finally {
            lock.unlock();
        }
        for (Batch b : hit) b.sink.cancelled(new CancellationException("cancelled at shutdown"));
    }

    @Override public boolean isRunning() {
        lock.lock();
        try {
            return state == State.RUNNING;
        } finally {
            lock.unlock();
        }
    }

    @Override public boolean isFinished() {
        lock.lock();
        try {
            return state != State.RUNNING && workers.isEmpty() && liveProcesses.isEmpty() && pending.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    @Override public PoolStats stats() {
        lock.lock();
        try {
            return new PoolStats(completed.sum(), failedCount.sum(), nextWorkerId, replaced.sum(), workers.size());
        } finally {
            lock.unlock();
        }
    }

    /** The pids of the workers alive now (for tests and diagnostics). */
    @Override public List<Long> workerPids() {
        lock.lock();
        try {
            List<Long> pids = new ArrayList<>();
            for (Slot w : workers) if (w.st == WState.READY || w.st == WState.STOPPING) pids.add(w.pid());
            return pids;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ dispatching (all called holding lock)

    private void pump() {
        if (state == State.TERMINATED || state == State.BROKEN) return;
        for (Slot w : workers) {
            if (w.st != WState.READY) continue;
            fill(w);
            if (w.st == WState.READY && state == State.CLOSED && pending.isEmpty() && w.inflight.isEmpty()) {
                int s = PoolWire.begin(w.out, PoolWire.STOP);
                PoolWire.end(w.out, s);
                w.st = WState.STOPPING;
            }
            write(w);
        }
        if (state == State.CLOSED && pending.isEmpty() && initializer == null && ctx.startMethod().isProcess()) {
            // nothing left for a worker whose JVM is still starting, and no initializer for it to run: stop it
            // now instead of waiting for it to come up only to be told to stop (a pool closed soon after it was
            // made would otherwise wait in join for a second worker's start)
            for (Slot w : List.copyOf(workers)) if (w.st == WState.STARTING) kill(w, false);
        }
        ensureWorkers();
    }

    private void fill(Slot w) {
        while (!pending.isEmpty()) {
            Work head = pending.peekFirst();
            Batch b = head.batch;
            if (b.isCancelled()) {
                pending.pollFirst();
                continue;
            }
            int k = Math.min(head.to - head.from, b.chunksize);
            if (config.taskTimeoutNanos() > 0) k = 1;
            if (w.budget > 0) k = Math.min(k, w.budget);
            boolean newFn = !w.fns.get(b.fn.id());
            // the function travels with its first task: count it, so that a big capture cannot fill the pipe
            int bytes = b.bytes(head.from, head.from + k) + 32 + (newFn ? b.fn.encoded().length : 0);
            if (!w.inflight.isEmpty()) {
                if (w.inflight.size() >= window(b, k)) return;
                // queue behind a running task only while there is plenty left for every worker
                if (!pendingAtLeast((long) config.processes() * (w.inflight.size() + 1) * k)) return;
                if (w.inflightBytes + bytes > MAX_INFLIGHT_BYTES) return;
            }
            if (newFn) {
                int s = PoolWire.begin(w.out, PoolWire.FUNC);
                w.out.writeInt(b.fn.id());
                w.out.write(b.fn.encoded());
                PoolWire.end(w.out, s);
                w.fns.set(b.fn.id());
            }
            long q = ++seq;
            int s = PoolWire.begin(w.out, PoolWire.TASK);
            w.out.writeLong(q);
            w.out.writeInt(b.fn.id());
            w.out.writeLong(config.taskTimeoutNanos());
            w.out.writeInt(k);
            w.out.write(b.args.array(), b.offsets[head.from], b.bytes(head.from, head.from + k));
            PoolWire.end(w.out, s);
            w.inflight.addLast(new Dispatch(b, head.from, head.from + k, q, bytes));
            w.inflightBytes += bytes;
            head.from += k;
            if (head.from == head.to) pending.pollFirst();
            if (w.budget > 0) {
                w.budget -= k;
                if (w.budget == 0) {
                    int st = PoolWire.begin(w.out, PoolWire.STOP);
                    PoolWire.end(w.out, st);
                    w.st = WState.STOPPING;
                    return;
                }
            }
        }
    }

    /** Whether at least {@code n} items are queued and not yet sent. Called holding lock. */
    private boolean pendingAtLeast(long n) {
        long c = 0;
        for (Work w : pending) {
            c += w.to - w.from;
            if (c >= n) return true;
        }
        return false;
    }

    /**
     * How many tasks a worker may hold: one while their length is unknown or they are long (no task waits
     * behind a long one while another worker is idle), else about {@link #QUEUED_WORK_NANOS} of work.
     */
    private static int window(Batch b, int k) {
        long est = b.itemNanos;
        if (est < 0) return 1;
        long unit = Math.max(1, est * k);
        if (unit >= LONG_TASK_NANOS) return 1;
        if (unit >= QUEUED_WORK_NANOS) return 2;
        return (int) Math.max(2, Math.min(MAX_INFLIGHT_TASKS, QUEUED_WORK_NANOS / unit));
    }

    private void write(Slot w) {
        if (w.out.size() == 0 || w.tx == null) return;
        try {
            ByteBuffer bb = ByteBuffer.wrap(w.out.array(), 0, w.out.size());
            while (bb.hasRemaining()) w.tx.write(bb);
        } catch (IOException e) {
            // the worker is gone: its reader thread sees the end of its stream and deals with it
        }
        w.out.clear();
    }

    /** Starts workers until there are enough for the work there is. */
    private void ensureWorkers() {
        if (state == State.TERMINATED || state == State.BROKEN) return;
        // the JVM is exiting (its hooks stop the workers): replacing them would start JVMs that find their
        // pipes gone with the context's directory
        if (io.mp4j.core.ProcessRegistry.isExiting()) return;
        int active = 0;
        for (Slot w : workers) if (w.st == WState.STARTING || w.st == WState.READY) active++;
        // closed with nothing queued: no new workers, but those already made still start (their turn may come)
        if (state == State.CLOSED && pending.isEmpty()) active = config.processes();
        while (active < config.processes()) {
            Slot w = new Slot(++nextWorkerId);
            workers.add(w);
            if (initialStarted) replaced.increment();
            active++;
        }
        launchWaiting();
    }

    /**
     * How many workers' JVMs a pool starts at once: under SPAWN, one per two cores (at least one; the system
     * property {@value #STARTING_JVMS_PROPERTY} sets another number); under the
     * other start methods no limit (a FORK or FORKSERVER worker is a warm JVM handed its task, a THREAD worker
     * a thread). A JVM's start keeps more than one core busy (its compiler threads beside its main thread), so on
     * few cores JVMs started side by side each come up later than one started alone
     * (docs/journal/2026-11-23-starts-pools-scaling.md#pool-starts). Started in turn, the first worker takes tasks earlier
     * and the rest follow as fast as the cores allow; when there is work queued for them they start at once
     * ({@link #launchWaiting}).
     *
     * @param method the pool's start method
     * @param cores the machine's cores
     * @return the limit
     * @throws IllegalArgumentException if the system property is not a positive whole number
     */
    public static int startingLimit(io.mp4j.StartMethod method, int cores) {
        if (method != io.mp4j.StartMethod.SPAWN) return Integer.MAX_VALUE;
        String set = System.getProperty(STARTING_JVMS_PROPERTY);
        if (set != null && !set.isBlank()) {
            try {
                int n = Integer.parseInt(set.strip());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // refused below
            }
            throw new IllegalArgumentException(STARTING_JVMS_PROPERTY + " must be a positive whole number: " + set);
        }
        return Math.max(1, cores / 2);
    }

    /** System property: how many worker JVMs a SPAWN pool starts at once (default: one per two cores). */
    public static final String STARTING_JVMS_PROPERTY = "mp4j.pool.startingJvms";

    /**
     * Hands waiting workers to the spawner while fewer than {@link #startingLimit} are starting, or while more
     * items are queued than the workers already starting or up can take one each (a map submitted to a new
     * pool starts all its workers at once: starting the second only after the first was up made a CPU-bound map
     * end later, docs/journal/2026-12-07-figures-from-code-comments.md#pools). Called holding lock.
     */
    private void launchWaiting() {
        if (state == State.TERMINATED || state == State.BROKEN || io.mp4j.core.ProcessRegistry.isExiting()) return;
        int starting = 0, launched = 0;
        for (Slot w : workers) {
            if (!w.launched || (w.st != WState.STARTING && w.st != WState.READY)) continue;
            launched++;
            if (w.st == WState.STARTING) starting++;
        }
        for (Slot w : workers) {
            if (w.launched || w.st != WState.STARTING) continue;
            if (starting >= startingLimit && !pendingAtLeast(launched + 1)) return;
            w.launched = true;
            starting++;
            launched++;
            spawner.execute(() -> launch(w));
        }
    }

    /** Kills a worker; its queued tasks go back to the front of the queue when {@code requeue}. */
    private void kill(Slot w, boolean requeue) {
        if (requeue) requeue(w);
        w.inflight.clear();
        w.st = WState.GONE;
        workers.remove(w);
        // A worker that has not connected may be opening its named pipes: closing our ends now could leave it
        // blocked for good in an open that waits for a peer (a THREAD worker cannot be freed from it). Our ends
        // stay open until it is gone: processEnded, or launch when it finds the worker gone, closes them.
        if (w.tx != null) closeChannels(w);
        if (w.proc != null) w.proc.kill();
        changed.signalAll();
    }

    private void requeue(Slot w) {
        for (var it = w.inflight.descendingIterator(); it.hasNext(); ) {
            Dispatch d = it.next();
            if (!d.batch.isCancelled()) pending.addFirst(new Work(d.batch, d.from, d.to));
        }
        w.inflight.clear();
        w.inflightBytes = 0;
    }

    /** When the pool is done for good: its spawner thread goes. */
    private void maybeFinish() {
        if (finished || state == State.RUNNING || !workers.isEmpty() || !pending.isEmpty()) return;
        finished = true;
        spawner.shutdown();
        changed.signalAll();
    }

    // ------------------------------------------------------------------ workers starting and ending

    /**
     * Makes the worker's two named pipes, opens the pool's ends read-write (which never blocks, and lets the
     * worker open its ends at once), starts the worker's reader thread, then the worker. Runs on the spawner.
     */
    private void launch(Slot w) {
        MpProcess p;
        if (io.mp4j.core.ProcessRegistry.isExiting()) {
            lock.lock();
            try {
                w.st = WState.GONE;
                workers.remove(w);
            } finally {
                lock.unlock();
            }
            return;
        }
        try {
            Path base = ctx.resourceDir().resolve("pool-" + poolNumber + "-w" + w.id);
            makeFifos(base);
            FileChannel a = FileChannel.open(Path.of(base + ".out"), StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileChannel c = FileChannel.open(Path.of(base + ".in"), StandardOpenOption.READ, StandardOpenOption.WRITE);
            lock.lock();
            try {
                w.base = base;
                w.bootRx = a;
                w.bootTx = c;
                if (w.st == WState.GONE) {
                    closeChannels(w);
                    return;
                }
            } finally {
                lock.unlock();
            }
            Thread.ofPlatform().daemon(true).name("mp4j-pool-" + poolNumber + "-reader-" + w.id).start(() -> serveWorker(w));
            p = ctx.process(WorkerLoop::run, base.toString(), token, w.id, ctx.startMethod().isProcess());
            p.setName(w.name);
            p.setDaemon(true);
            p.start();
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                closeChannels(w);
                if (w.st != WState.GONE) {
                    w.st = WState.GONE;
                    workers.remove(w);
                    startFailed(new IllegalStateException("cannot start pool worker " + w.name + ": " + e.getMessage(), e));
                }
            } finally {
                lock.unlock();
            }
            return;
        }
        lock.lock();
        try {
            w.proc = p;
            liveProcesses.put(p, Boolean.TRUE);
            if (w.st == WState.GONE) p.kill();
        } finally {
            lock.unlock();
        }
        p.onExit().whenComplete((code, err) -> processEnded(w, p, code));
    }

    private static void makeFifos(Path base) throws IOException {
        if (Mkfifo.make(Path.of(base + ".in")) && Mkfifo.make(Path.of(base + ".out"))) return;
        // no libc call here: the mkfifo command
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", base + ".in", base + ".out")
                .redirectErrorStream(true).start();
        try {
            String out = new String(mk.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (mk.waitFor() != 0) throw new IOException("mkfifo " + base + ".in/.out failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the pipes " + base, e);
        }
    }

    /** Closes every end the pool holds of a worker's pipes and removes them. Called holding lock. */
    private void closeChannels(Slot w) {
        closeQuietly(w.bootRx);
        closeQuietly(w.bootTx);
        closeQuietly(w.rx);
        closeQuietly(w.tx);
        removeFifos(w);
    }

    private static void removeFifos(Slot w) {
        if (w.base == null) return;
        try {
            Files.deleteIfExists(Path.of(w.base + ".in"));
            Files.deleteIfExists(Path.of(w.base + ".out"));
        } catch (IOException ignored) {
            // the context's directory goes at exit anyway
        }
    }

    private void processEnded(Slot w, MpProcess p, Integer code) {
        lock.lock();
        try {
            liveProcesses.remove(p);
            if (w.tx == null) {
                // it ended before it connected (or was killed before): closing our ends wakes its reader thread
                closeChannels(w);
                if (w.st != WState.GONE) {
                    w.st = WState.GONE;
                    workers.remove(w);
                    String msg = "pool worker " + w.name + " (pid " + w.pid() + ") ended before it connected: " + describeExit(code)
                            + lastWords(w, code, false);
                    LOG.warn("{}; starting another", msg);
                    startFailed(new IllegalStateException(msg));
                }
            }
            launchWaiting(); // whatever became of it, it no longer holds a turn to start
            maybeFinish();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called holding lock. */
    private void startFailed(Throwable cause) {
        if (++startFailures >= MAX_START_FAILURES && state != State.TERMINATED) {
            lock.unlock();
            try {
                fail(State.BROKEN, cause);
            } finally {
                lock.lock();
            }
        } else {
            ensureWorkers();
            pump();
        }
    }

    /** The worker's reader thread: its hello on the boot ends, then its results until its pipe ends. */
    private void serveWorker(Slot w) {
        WireBuffer in = new WireBuffer(1 << 16);
        try {
            if (!readFrame(w.bootRx, in) || in.readByte() != PoolWire.HELLO) throw new IOException("no hello from worker " + w.name);
            String tok = Codec.readString(in);
            in.readLong(); // pid: the process handle knows it
            int id = in.readInt();
            if (id != w.id || !MessageDigest.isEqual(tok.getBytes(java.nio.charset.StandardCharsets.UTF_8), token.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                throw new IOException("worker " + w.name + " did not prove the pool's token");
            }
            // the worker holds its ends now: take one-way ends, so that its death reads as end-of-file here
            // and a write to it fails instead of filling a pipe nobody reads
            FileChannel rx = FileChannel.open(Path.of(w.base + ".out"), StandardOpenOption.READ);
            FileChannel tx = FileChannel.open(Path.of(w.base + ".in"), StandardOpenOption.WRITE);
            byte[] initPayload = firstInitPayload.getAndSet(null);
            if (initPayload == null) {
                try {
                    initPayload = encodeInit();
                } catch (RuntimeException e) { // an argument that travelled to the first workers cannot any more (a closed connection end)
                    closeQuietly(rx);
                    closeQuietly(tx);
                    fail(State.BROKEN, new IllegalStateException("cannot hand the initializer's arguments to worker " + w.name + ": " + e.getMessage(), e));
                    return;
                }
            }
            lock.lock();
            try {
                if (w.st == WState.GONE) {
                    closeQuietly(rx);
                    closeQuietly(tx);
                    return;
                }
                closeQuietly(w.bootRx);
                closeQuietly(w.bootTx);
                w.bootRx = null;
                w.bootTx = null;
                removeFifos(w);
                w.rx = rx;
                w.tx = tx;
                w.st = WState.READY;
                startFailures = 0;
                launchWaiting();
                changed.signalAll();
                int s = PoolWire.begin(w.out, PoolWire.INIT);
                w.out.write(initPayload);
                PoolWire.end(w.out, s);
                pump();
            } finally {
                lock.unlock();
            }
            readResults(w, w.rx, in);
        } catch (IOException | RuntimeException e) {
            boolean connected;
            lock.lock();
            try {
                connected = w.tx != null;
                if (!connected && w.st != WState.GONE && w.proc != null && !w.proc.isAlive()) {
                    w.st = WState.GONE;
                    workers.remove(w);
                }
                if (!connected) closeChannels(w);
            } finally {
                lock.unlock();
            }
            if (connected) workerEnded(w, e.toString());
        }
    }

    private static boolean readFrame(ReadableByteChannel ch, WireBuffer in) throws IOException {
        while (true) {
            int r = in.remaining();
            if (r >= 4 && r - 4 >= in.getInt(in.position())) {
                in.readInt();
                return true;
            }
            if (!fillFrom(ch, in)) return false;
        }
    }

    private static boolean fillFrom(ReadableByteChannel ch, WireBuffer in) throws IOException {
        if (in.position() > 0) in.compact();
        int need = in.remaining() >= 4 ? in.getInt(in.position()) + 4 - in.remaining() : 4096;
        in.ensure(Math.max(need, 4096));
        int k = ch.read(ByteBuffer.wrap(in.array(), in.size(), in.array().length - in.size()));
        if (k < 0) return false;
        in.advance(k);
        return true;
    }

    private void readResults(Slot w, ReadableByteChannel ch, WireBuffer in) throws IOException {
        ClassLoader loader = PoolEngine.class.getClassLoader();
        while (true) {
            if (!fillFrom(ch, in)) {
                workerEnded(w, "end of stream");
                return;
            }
            boolean any = false;
            while (true) {
                int r = in.remaining();
                if (r < 4 || r - 4 < in.getInt(in.position())) break;
                int len = in.readInt();
                int end = in.position() + len;
                byte type = in.readByte();
                switch (type) {
                    case PoolWire.RESULT -> {
                        onResult(w, in, loader);
                        any = true;
                    }
                    case PoolWire.BYE -> {
                        String why = Codec.readString(in);
                        lock.lock();
                        try {
                            w.saidBye = true;
                            w.byeReason = why;
                        } finally {
                            lock.unlock();
                        }
                    }
                    case PoolWire.KILLED -> onKilled(w, in);
                    case PoolWire.INIT_FAILED -> {
                        Throwable t = RemoteErrors.rebuild(PoolWire.readError(in));
                        fail(State.BROKEN, new IllegalStateException("the pool's initializer failed in worker " + w.name
                                + " (pid " + w.pid() + "): " + t, t));
                        return;
                    }
                    default -> throw new IOException("unknown frame type " + type + " from worker " + w.name);
                }
                in.position(end);
            }
            if (any) {
                lock.lock();
                try {
                    pump();
                    if (state == State.CLOSED) maybeFinish();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void onResult(Slot w, WireBuffer in, ClassLoader loader) throws IOException {
        long q = in.readLong();
        long elapsed = in.readLong();
        int n = in.readInt();
        Dispatch d;
        lock.lock();
        try {
            if (w.st == WState.GONE) return;
            d = w.inflight.pollFirst();
            if (d == null || d.seq != q) throw new IOException("result for task " + q + " out of order from worker " + w.name);
            w.inflightBytes -= d.bytes;
        } finally {
            lock.unlock();
        }
        Batch b = d.batch;
        long per = elapsed / Math.max(1, n);
        long est = b.itemNanos;
        b.itemNanos = est < 0 ? per : (3 * est + per) >> 2;
        b.fn.itemNanos().set(b.itemNanos);
        Type rt = b.fn.returnType();
        boolean skip = b.isCancelled();
        // decode the whole frame first and count it once (not per item), before any result is delivered: a
        // caller woken by the last result of its batch sees the counters already up to date
        Object[] values = new Object[n];
        Throwable[] errors = null;
        int failures = 0;
        for (int i = 0; i < n; i++) {
            byte status = in.readByte();
            int index = d.from + i;
            Object value = null;
            Throwable error = null;
            switch (status) {
                case PoolWire.OK -> {
                    try {
                        value = Codec.readSlot(in, rt, loader);
                    } catch (RuntimeException e) {
                        error = e;
                    }
                }
                case PoolWire.ERROR, PoolWire.ENCODE_ERROR -> error = RemoteErrors.rebuild(PoolWire.readError(in));
                case PoolWire.TIMEOUT -> error = new TimeoutException(Codec.readString(in) + ": " + b.describe(index, index + 1)
                        + " in worker " + w.name + " (pid " + w.pid() + ")");
                default -> throw new IOException("unknown result status " + status);
            }
            values[i] = value;
            if (error != null) {
                if (errors == null) errors = new Throwable[n];
                errors[i] = error;
                failures++;
            }
        }
        if (skip) return;
        if (failures < n) completed.add(n - failures);
        if (failures > 0) failedCount.add(failures);
        if (errors == null) {
            b.sink.values(b.firstIndex + d.from, values, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (errors[i] == null) b.sink.value(b.firstIndex + d.from + i, values[i]);
            else b.sink.failed(b.firstIndex + d.from + i, errors[i]);
        }
    }

    private void onKilled(Slot w, WireBuffer in) throws IOException {
        long q = in.readLong();
        String msg = Codec.readString(in);
        Dispatch d;
        lock.lock();
        try {
            if (w.st == WState.GONE) return;
            d = w.inflight.peekFirst();
            if (d != null && d.seq == q) w.inflight.pollFirst();
            else d = null;
            LOG.warn("pool worker {} (pid {}) is replaced: {}{}", w.name, w.pid(), msg,
                    d == null ? "" : " (" + d.batch.describe(d.from, d.to) + ")");
            kill(w, true);
            ensureWorkers();
            pump();
        } finally {
            lock.unlock();
        }
        if (d != null) failRange(d, new TimeoutException(msg + ": " + d.batch.describe(d.from, d.to) + " in worker " + w.name + " (pid " + w.pid() + ")"));
    }

    private void failRange(Dispatch d, Throwable error) {
        if (d.batch.isCancelled()) return;
        for (int i = d.from; i < d.to; i++) {
            failedCount.increment();
            d.batch.sink.failed(d.batch.firstIndex + i, error);
        }
    }

    /** The worker's stream ended: expected after it said goodbye, else it died. */
    private void workerEnded(Slot w, String why) {
        boolean bye;
        lock.lock();
        try {
            if (w.st == WState.GONE) return;
            bye = w.saidBye;
        } finally {
            lock.unlock();
        }
        Integer code = null;
        if (!bye && w.proc != null) {
            try {
                code = w.proc.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // unknown: reported as such
            }
        }
        String lastWords = bye ? "" : lastWords(w, code, true);
        Dispatch head;
        String byeReason;
        boolean replacing;
        lock.lock();
        try {
            if (w.st == WState.GONE) return;
            head = bye ? null : w.inflight.pollFirst();
            byeReason = w.byeReason;
            requeue(w);
            w.st = WState.GONE;
            workers.remove(w);
            closeChannels(w);
            int before = nextWorkerId;
            ensureWorkers();
            replacing = nextWorkerId != before;
            pump();
            maybeFinish();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        String msg = "worker " + w.name + " (pid " + w.pid() + ") " + describeExit(code)
                + (head == null ? "" : " while running " + head.batch.describe(head.from, head.to)) + lastWords;
        logEnd(w, bye, byeReason, msg, replacing);
        if (head != null) failRange(head, new WorkerDiedException(msg, w.pid(), code));
    }

    /**
     * Logs a worker's end: at WARN when it was not asked to end (it died, or ended itself after an Error in a
     * task), at DEBUG when it stopped as told (the pool closing, maxTasksPerChild).
     */
    private static void logEnd(Slot w, boolean bye, String byeReason, String msg, boolean replacing) {
        String next = replacing ? "; a new worker replaces it" : "";
        if (!bye) LOG.warn("pool {}{}", msg, next);
        else if (byeReason != null && !byeReason.equals("stopped")) LOG.warn("pool worker {} (pid {}) {}{}", w.name, w.pid(), byeReason, next);
        else if (LOG.isDebugEnabled()) LOG.debug("pool worker {} (pid {}) stopped{}", w.name, w.pid(), next);
    }

    /**
     * What the worker left in {@code base.died} before it ended ({@link WorkerLoop#run}: the exception it ended
     * with), as ": ..." to append to a message; when it left nothing and exited with 1 before it connected,
     * where to look.
     */
    private static String lastWords(Slot w, Integer code, boolean connected) { return lastWords(w.base, code, connected); }

    static String lastWords(Path base, Integer code, boolean connected) {
        if (base != null) {
            Path note = Path.of(base + ".died");
            try {
                String words = Files.readString(note).strip();
                Files.deleteIfExists(note);
                if (!words.isEmpty()) return ": " + words;
            } catch (IOException | RuntimeException e) {
                // it left nothing
            }
        }
        return !connected && code != null && code == 1 ? " (its standard error says why: the JVM could not start it, or it could not read its task)" : "";
    }

    static String describeExit(Integer code) {
        if (code == null) return "ended (exit code unknown)";
        if (code < 0) return "was killed by signal " + (-code) + signalName(-code) + " (exit code " + code + ")";
        if (code == PoolWire.EXIT_TASK_ERROR) return "exited with code " + code + " after an error in a task";
        return "exited with code " + code;
    }

    private static String signalName(int sig) {
        return switch (sig) {
            case 9 -> " SIGKILL";
            case 15 -> " SIGTERM";
            case 6 -> " SIGABRT";
            case 11 -> " SIGSEGV";
            case 2 -> " SIGINT";
            case 1 -> " SIGHUP";
            default -> "";
        };
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
