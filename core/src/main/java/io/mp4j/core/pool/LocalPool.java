package io.mp4j.core.pool;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.PoolStats;
import io.mp4j.StartMethod;
import io.mp4j.WorkerDiedException;
import io.mp4j.core.ProcessRegistry;
import io.mp4j.ipc.ring.ReplyReader;
import io.mp4j.ipc.ring.WorkProducer;
import io.mp4j.ipc.ring.WorkQueue;
import io.mp4j.spi.Job;
import io.mp4j.spi.PoolBackend;
import io.mp4j.spi.PoolSpec;
import io.mp4j.worker.pool.WorkerSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * The local back end of {@code Pool} and {@code ProcessPoolExecutor}: workers made by a context (JVMs, or threads
 * for THREAD) claim tasks from a work queue in the context's directory ({@code io.mp4j.ipc.ring}) and reply there.
 * This class keeps the run state and the one lock, and wires the parts, each the owner of one decision:
 * {@link Dispatcher} (what runs next, what is outstanding), {@link TaskPublisher} (tasks into the queue),
 * {@link WorkerRoster} and {@link WorkerSlot} (the workers and their states), {@link StartThrottle} (when a worker
 * may start), {@link WorkerStarter} (starting a worker's process), {@link ResultReader} (replies and results).
 *
 * <p>The run state ({@link RunState}) is guarded by {@code lock}, as is every part but the reader's own. Closed, the
 * pool closes its queue once everything is published, and workers leave when it is empty.
 *
 * <p>Sinks are never called holding the lock: what a locked section decides to report is queued with
 * {@link PoolLock#later} and runs once the method that took the lock releases it.
 */
public final class LocalPool implements PoolBackend, ResultReader.Pool, WorkerStarter.Listener {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final int TASK_BYTES = 1 << 20;
    private static final int REPLY_BYTES = 1 << 16;
    private static final int MAX_START_FAILURES = 3;

    private final Context ctx;
    private final PoolSpec spec;
    private final WorkQueue queue;
    private final WorkProducer producer;
    private final TaskPublisher publisher;
    private final ResultReader reader;
    private final WorkerStarter starter;
    private final StartThrottle throttle;
    private final Dispatcher dispatcher;
    private final WorkerRoster workers;

    private final PoolLock lock = new PoolLock();
    private final RunState run = new RunState();
    private int startFailures;
    private boolean prestart;
    private boolean queueClosed;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();

    /**
     * A local back end for {@code spec} on {@code ctx}; its workers start now, or on demand.
     *
     * @param ctx the context whose start method the workers use
     * @param spec what the user set
     * @param workerProcess makes a worker's process (not started) from its settings: the context's pool-worker launch
     * @throws IllegalArgumentException when {@code spec} asks for what {@code ctx} cannot do (maxMemoryPerChild for THREAD)
     */
    public LocalPool(Context ctx, PoolSpec spec, java.util.function.Function<byte[], MpProcess> workerProcess) {
        if (spec.maxMemoryPerChild() > 0 && ctx.startMethod() == StartMethod.THREAD) {
            throw new IllegalArgumentException("maxMemoryPerChild has no meaning for THREAD workers, which share this JVM's memory: maxMemoryPerChild="
                    + spec.maxMemoryPerChild());
        }
        this.ctx = ctx;
        this.spec = spec;
        int n = POOLS.incrementAndGet();
        this.starter = new WorkerStarter(ctx, spec, n, workerProcess); // encodes the initializer: what cannot travel fails here
        int maxItems = spec.taskTimeoutNanos() > 0 ? 1 : spec.maxTasksPerChild() != null ? spec.maxTasksPerChild() : Integer.MAX_VALUE;
        this.dispatcher = new Dispatcher(maxItems);
        this.throttle = new StartThrottle(ctx.startMethod(), Runtime.getRuntime().availableProcessors());
        this.queue = WorkQueue.create(ctx.resourceDir().resolve("pool-" + n), TASK_BYTES, Math.min(65534, spec.processes() * 4 + 4), REPLY_BYTES);
        this.producer = new WorkProducer(queue);
        this.publisher = new TaskPublisher(producer, queue.path(), spec.taskTimeoutNanos());
        String m = ctx.startMethod().pythonName();
        this.workers = new WorkerRoster(queue, producer, Character.toUpperCase(m.charAt(0)) + m.substring(1) + "PoolWorker-");
        this.reader = new ResultReader(new ReplyReader(queue, ResultReader.SPINS), this);
        Thread.ofPlatform().daemon(true).name("mp4j-pool-" + n + "-results").start(this::readThenUnmap);
        lock.run(this::ensureWorkers);
    }

    private void readThenUnmap() {
        try {
            reader.run();
        } finally {
            queue.unlink();
            queue.close();
        }
    }

    // ------------------------------------------------------------------ PoolBackend

    @Override public void submit(Job job) {
        if (!(job instanceof Batch b)) throw new IllegalArgumentException("not a job of the local back end: " + job);
        lock.run(() -> {
            run.checkAccepting();
            dispatcher.add(b);
            publisher.publish(dispatcher);
            ensureWorkers();
        });
    }

    @Override public void checkAccepting() { lock.run(run::checkAccepting); }

    @Override public boolean cancel(Job job, CancellationException reason) {
        Batch b = (Batch) job;
        return lock.get(() -> {
            if (!b.markCancelled()) return false;
            for (Dispatcher.Task t : dispatcher.cancel(b)) {
                if (publisher.takeBack(t)) continue;
                WorkerSlot w = workers.running(t.id); // a process cannot be interrupted halfway: its worker is ended
                if (w != null) end(w, true);
            }
            ensureWorkers();
            lock.later(() -> b.sink().cancelled(reason));
            return true;
        });
    }

    /** Cancels every job none of whose items has started: each published task is taken back, or the job goes on. */
    @Override public void cancelQueued() {
        lock.run(() -> {
            for (Batch b : dispatcher.unfinished()) {
                List<Dispatcher.Task> taken = new ArrayList<>();
                boolean started = false;
                for (Dispatcher.Task t : dispatcher.outstandingOf(b)) {
                    if (publisher.takeBack(t)) taken.add(t);
                    else started = true;
                }
                if (started) {
                    for (Dispatcher.Task t : taken) dispatcher.requeue(t.id);
                    continue;
                }
                b.markCancelled();
                dispatcher.cancel(b);
                lock.later(() -> b.sink().cancelled(new CancellationException("cancelled at shutdown")));
            }
            publisher.publish(dispatcher);
        });
    }

    @Override public void close() {
        lock.run(() -> {
            run.close();
            closeQueueWhenDone();
            maybeFinish();
        });
        reader.poke();
    }

    @Override public void terminate() { stop(false, new CancellationException("the pool was terminated")); }

    /** Terminates ({@code broken} false) or breaks the pool: every worker ended, everything unfinished cancelled. */
    private void stop(boolean broken, Throwable reason) {
        lock.run(() -> {
            if (!run.stop(broken, reason)) return;
            for (Dispatcher.Task t : dispatcher.outstanding()) publisher.takeBack(t);
            for (Batch b : dispatcher.clear()) if (b.markCancelled()) lock.later(() -> b.sink().cancelled(reason));
            for (WorkerSlot w : workers.all()) end(w, true);
            closeQueueWhenDone();
            maybeFinish();
        });
        reader.poke();
    }

    @Override public boolean awaitFinished(long nanos, boolean requireStopped) throws InterruptedException {
        return lock.call(() -> {
            if (requireStopped && run.isRunning()) throw new IllegalStateException("Pool is still running: call close() or terminate() before join()");
            return lock.await(nanos, run::isFinished);
        });
    }

    @Override public boolean awaitWorkers(long nanos) throws InterruptedException {
        return lock.call(() -> {
            prestart = true; // an executor's workers start on demand: asked to, it starts them all
            ensureWorkers();
            BooleanSupplier ready = () -> workers.count(true, true) >= spec.processes();
            return lock.await(nanos, () -> ready.getAsBoolean() || !run.isRunning()) && ready.getAsBoolean();
        });
    }

    @Override public boolean isRunning() { return lock.get(run::isRunning); }

    @Override public boolean isFinished() { return lock.get(run::isFinished); }

    @Override public int processes() { return spec.processes(); }

    @Override public String kind() { return ctx.startMethod().pythonName(); }

    @Override public PoolStats stats() {
        return lock.get(() -> new PoolStats(completed.sum(), failed.sum(), workers.started(), workers.replaced(), workers.count(false, false)));
    }

    @Override public List<Long> workerPids() { return lock.get(workers::pids); }

    // ------------------------------------------------------------------ workers (called holding lock)

    /** Makes and starts workers until there are as many as the pool keeps (on demand: as the unclaimed tasks need). */
    private void ensureWorkers() {
        if (run.isStopped() || ProcessRegistry.isExiting()) return;
        int active = workers.count(true, false);
        // idle workers before unclaimed tasks: a worker marks itself busy after its claim, so one that claims in
        // between is counted neither idle nor with a task waiting for it
        int available = workers.idleOrStarting();
        long waiting = producer.unclaimed() + dispatcher.waitingItems();
        int target = spec.processes();
        if (spec.startOnDemand() && !prestart) target = (int) Math.min(target, active + Math.max(0, waiting - available));
        if (!run.isRunning() && waiting == 0) target = active;
        workers.fill(target);
        workers.startWaiting(throttle, waiting, w -> starter.start(w, queue.path(), this));
    }

    private void end(WorkerSlot w, boolean byPool) { workers.end(w, byPool, run.isRunning(), gone -> reader.exited(gone, null)); }

    /** Once nothing waits to be published: closed, so workers leave when the queue is empty; idle starters stop. */
    private void closeQueueWhenDone() {
        if (queueClosed || run.isRunning() || dispatcher.waitingItems() > 0) return;
        queueClosed = true;
        producer.close();
        if (producer.unclaimed() > 0 || starter.hasInitializer() || !ctx.startMethod().isProcess()) return;
        // nothing left for a worker whose JVM is still starting, and no initializer for it to run: end it now
        for (WorkerSlot w : workers.all()) if (w.state() == WorkerSlot.State.WAITING || w.state() == WorkerSlot.State.STARTING) end(w, true);
    }

    private void maybeFinish() {
        if (!dispatcher.isEmpty() || !workers.isEmpty() || !run.finish()) return;
        starter.shutdown();
        lock.signalAll();
    }

    /** Fails every item of a task, after the lock is released. Called holding lock. */
    private void fail(Dispatcher.Task t, Throwable error) {
        Batch b = t.batch;
        if (b.isCancelled()) return;
        failed.add(t.items());
        lock.later(() -> {
            for (int i = t.from; i < t.to; i++) b.sink().failed(b.firstIndex() + i, error);
        });
    }

    /** A worker could not start: after a few in a row (or one fatal) the pool is broken. Called holding lock. */
    private void startFailed(Throwable cause, boolean fatal) {
        if (fatal || ++startFailures >= MAX_START_FAILURES) lock.later(() -> stop(true, cause));
        else ensureWorkers();
    }

    // ------------------------------------------------------------------ WorkerStarter.Listener (the starter's thread)

    @Override public boolean wanted(WorkerSlot w) { return lock.get(() -> w.state() != WorkerSlot.State.GONE); }

    @Override public void started(WorkerSlot w, MpProcess p) {
        lock.run(() -> {
            w.process(p);
            if (w.state() == WorkerSlot.State.GONE) p.kill();
        });
    }

    @Override public void startFailed(WorkerSlot w, Throwable cause, boolean fatal) {
        lock.run(() -> {
            end(w, false);
            startFailed(cause, fatal);
        });
        reader.exited(w, null);
    }

    @Override public void exited(WorkerSlot w, Integer code) { reader.exited(w, code); }

    // ------------------------------------------------------------------ ResultReader.Pool (the reader's thread)

    @Override public WorkerSlot[] workers() { return workers.byEntry(); }

    @Override public void hello(WorkerSlot w, long pid) {
        lock.run(() -> {
            if (w.ready(pid)) startFailures = 0;
            ensureWorkers();
            lock.signalAll();
        });
    }

    @Override public Dispatcher.Task finished(WorkerSlot w, long id) { return lock.get(() -> dispatcher.finished(id)); }

    @Override public void counted(int ok, int failures) {
        if (ok > 0) completed.add(ok);
        if (failures > 0) failed.add(failures);
    }

    @Override public void leaving(WorkerSlot w, String reason, boolean bye) {
        lock.run(() -> {
            workers.retiring(w, reason, run.isRunning());
            ensureWorkers();
        });
    }

    @Override public void initializerFailed(WorkerSlot w, Throwable error) {
        stop(true, new IllegalStateException("the pool's initializer failed in worker " + w.name + " (pid " + w.pid() + "): " + error, error));
    }

    @Override public void killed(WorkerSlot w, long id, String message) {
        lock.run(() -> {
            Dispatcher.Task t = dispatcher.finished(id);
            end(w, true);
            ensureWorkers();
            if (t != null) fail(t, new TimeoutException(message + ": " + t.batch.describe(t.from, t.to) + " in worker " + w.name + " (pid " + w.pid() + ")"));
        });
    }

    /**
     * A worker's process ended and its replies are read: what it left behind unfinished fails with a
     * {@link WorkerDiedException} (or runs again, when the pool ended it for another task's sake), and its entry is
     * free for the next worker.
     */
    @Override public void exitedAfterReplies(WorkerSlot w, Integer code) {
        boolean connected = w.state() != WorkerSlot.State.STARTING;
        String words = w.saidBye() && code != null && code == 0 ? ""
                : LastWords.read(java.nio.file.Path.of(WorkerSettings.lastWordsBase(queue.path().toString(), w.consumer, w.generation)), code, connected);
        lock.run(() -> {
            if (!w.exited()) return;
            boolean unasked = !w.endedByPool() && (!w.saidBye() || code == null || code != 0);
            if (w.state() == WorkerSlot.State.STARTING && !w.saidBye() && run.isRunning()) {
                startFailed(new IllegalStateException("pool " + w.describeEnd(code) + " before it was ready" + words), false);
            }
            end(w, false);
            List<Long> left = new ArrayList<>();
            producer.abandoned(w.consumer, left::add);
            String running = "";
            for (long id : left) {
                if (w.endedByPool() && dispatcher.requeue(id)) continue;
                Dispatcher.Task t = dispatcher.finished(id);
                if (t == null) continue;
                running = " while running " + t.batch.describe(t.from, t.to);
                fail(t, new WorkerDiedException(w.describeEnd(code) + running + words, w.pid(), code));
            }
            workers.remove(w);
            publisher.publish(dispatcher);
            long before = workers.started();
            ensureWorkers();
            LastWords.log(w.describeEnd(code) + running + (w.byeReason() == null ? "" : " (" + w.byeReason() + ")") + words, unasked,
                    workers.started() != before || w.saidBye() && unasked && run.isRunning()); // one that said BYE was replaced then
            closeQueueWhenDone();
            maybeFinish();
            lock.signalAll();
        });
    }

    @Override public boolean afterReplies() {
        return lock.get(() -> {
            if (!run.isStopped()) publisher.publish(dispatcher);
            closeQueueWhenDone();
            maybeFinish();
            return !run.isFinished();
        });
    }

    @Override public boolean needsReader() { return lock.get(() -> !dispatcher.isEmpty() || !run.isRunning()); }

    @Override public void helpUntil(java.util.function.BooleanSupplier done, long nanos) { reader.help(done, nanos); }

    @Override public String toString() { return "LocalPool[" + kind() + ", " + spec.processes() + " processes, " + run + "]"; }
}
