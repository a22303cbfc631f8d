package io.mp4j.cluster;

import io.mp4j.PoolStats;
import io.mp4j.WorkerDiedException;
import io.mp4j.core.pool.RemoteErrors;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.spi.Job;
import io.mp4j.spi.PoolBackend;
import io.mp4j.spi.PoolBackendFactory;
import io.mp4j.spi.PoolSpec;
import io.mp4j.spi.ResultSink;
import io.mp4j.worker.pool.PoolMessages;
import io.mp4j.worker.task.FunctionRef;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.cluster.ClusterGroupEmptyException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.compute.ComputeTaskTimeoutException;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.lang.IgniteFutureCancelledException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A pool's back end on a cluster: each chunk of a job is one Ignite compute job ({@link ChunkJob}) sent to a server
 * node (round robin), with at most {@link PoolSpec#processes()} chunks running at once; the nodes are the workers.
 * When the node running a chunk dies, Ignite runs the chunk on another node (failover): its result comes back once,
 * its side effects may have happened twice. With a task timeout, items are sent one per job; an item over its time
 * fails with a {@link TimeoutException} at once (a timer here: Ignite reports its own job timeout seconds late) and
 * its thread on the node is interrupted (Ignite's job timeout and cancel).
 *
 * <p>What differs from the local back end: {@code maxTasksPerChild} and {@code maxMemoryPerChild} are refused (a
 * node is not a child process); a cancelled item's thread is interrupted, its node goes on; an item fails with a
 * {@link WorkerDiedException} only when no node is left to run it. Outcomes are decoded and reported on one thread of
 * the back end's own.
 */
final class ClusterPool implements PoolBackend {
    private enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

    /** A range of a job's items, sent as one compute job. */
    private record Chunk(Job job, int from, int to) {}

    /** A chunk on its way: Ignite's future of it, and its deadline here (null without a task timeout). */
    private record Sent(IgniteFuture<byte[]> future, ScheduledFuture<?> deadline) {}

    private final ClusterContext ctx;
    private final PoolSpec spec;
    private final String id = UUID.randomUUID().toString();
    private final byte[] init;
    private final ClassLoader loader;
    private final ScheduledThreadPoolExecutor results;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private State state = State.RUNNING;
    private Throwable brokenCause;
    private boolean finished;
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    // a chunk leaves it exactly once (outcome, deadline, or stop): whoever removes it reports it
    private final Map<Chunk, Sent> running = new HashMap<>();
    private final Set<Long> nodesSeen = new HashSet<>();
    private long completed, failed;

    private ClusterPool(ClusterContext ctx, PoolSpec spec) {
        this.ctx = ctx;
        this.spec = spec;
        this.init = spec.initializer() == null ? null : encodeInitializer(spec);
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        this.loader = cl == null ? ClusterPool.class.getClassLoader() : cl;
        this.results = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon(true).name("mp4j-cluster-pool-results").unstarted(r));
        results.setRemoveOnCancelPolicy(true);
        results.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The factory of a cluster's pools: refuses what a node cannot honour, naming the setting. */
    static PoolBackendFactory factory(ClusterContext ctx) {
        return spec -> {
            if (spec.maxTasksPerChild() != null) {
                throw new IllegalArgumentException("a cluster pool cannot honour maxTasksPerChild (a node is not a child process"
                        + " that can be replaced): maxTasksPerChild=" + spec.maxTasksPerChild() + "; see docs/cluster.md");
            }
            if (spec.maxMemoryPerChild() > 0) {
                throw new IllegalArgumentException("a cluster pool cannot honour maxMemoryPerChild (a node is not a child process):"
                        + " maxMemoryPerChild=" + spec.maxMemoryPerChild());
            }
            ctx.checkOpen();
            return new ClusterPool(ctx, spec);
        };
    }

    private static byte[] encodeInitializer(PoolSpec spec) {
        FunctionRef f = FunctionRef.of(spec.initializer());
        Object[] a = spec.initargs();
        f.checkArgs(a);
        ByteArrayOutputStream bos = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            f.write(out);
            f.writeArgs(out, a);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the initializer or its arguments cannot travel to a node: " + e.getMessage(), e);
        }
        return bos.toByteArray();
    }

    // ------------------------------------------------------------------ work

    @Override public void submit(Job job) {
        lock.lock();
        try {
            checkAccepting();
            int step = spec.taskTimeout() != null ? 1 : job.chunksize();
            for (int from = 0; from < job.size(); from += step) queue.addLast(new Chunk(job, from, Math.min(job.size(), from + step)));
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

    /** Sends chunks while fewer than {@code processes} run. Called only while holding {@code lock}. */
    private void pump() {
        while (running.size() < spec.processes() && !queue.isEmpty() && state != State.TERMINATED && state != State.BROKEN) {
            Chunk c = queue.pollFirst();
            if (c.job.isCancelled()) continue;
            IgniteFuture<byte[]> f;
            try {
                f = send(c);
            } catch (RuntimeException e) {
                results.execute(() -> failItems(c, e));
                continue;
            }
            ScheduledFuture<?> deadline = spec.taskTimeout() == null ? null
                    : results.schedule(() -> timedOut(c), spec.taskTimeout().toNanos(), TimeUnit.NANOSECONDS);
            running.put(c, new Sent(f, deadline));
            f.listenAsync(done -> completed(c, done), results);
        }
        maybeFinish();
    }

    private IgniteFuture<byte[]> send(Chunk c) {
        ByteBuffer args = c.job.args(c.from, c.to);
        byte[] a = new byte[args.remaining()];
        args.get(a);
        var fn = c.job.function();
        ChunkJob job = new ChunkJob(id, fn.id(), fn.encoded(), init, a, c.to - c.from);
        Ignite ig = ctx.ignite();
        IgniteCompute compute = ig.compute(ig.cluster().forServers());
        if (spec.taskTimeout() != null) compute = compute.withTimeout(Math.max(1, spec.taskTimeout().toMillis()));
        return compute.callAsync(job);
    }

    /** A chunk's outcome, on the results thread. */
    private void completed(Chunk c, IgniteFuture<byte[]> f) {
        Sent sent = leave(c);
        if (sent != null && sent.deadline != null) sent.deadline.cancel(false);
        if (sent != null && !c.job.isCancelled()) {
            try {
                report(c, f.get());
            } catch (IgniteFutureCancelledException e) {
                // cancelled with its job or the pool: nothing to report
            } catch (ComputeTaskTimeoutException e) {
                timeoutItems(c);
            } catch (RuntimeException e) {
                failItems(c, e);
            }
        }
        pumpLocked();
    }

    /** A chunk's deadline, on the results thread: its items fail now, its job on the node is cancelled (interrupted). */
    private void timedOut(Chunk c) {
        Sent sent = leave(c);
        if (sent == null) return;
        if (!c.job.isCancelled()) timeoutItems(c);
        sent.future.cancel();
        pumpLocked();
    }

    /** Takes {@code c} out of {@code running}; null when its outcome, deadline or a stop took it first. */
    private Sent leave(Chunk c) {
        lock.lock();
        try {
            return running.remove(c);
        } finally {
            lock.unlock();
        }
    }

    private void pumpLocked() {
        lock.lock();
        try {
            pump();
        } finally {
            lock.unlock();
        }
    }

    private void timeoutItems(Chunk c) {
        for (int i = c.from; i < c.to; i++) {
            fail(c, i, new TimeoutException("task exceeded its timeout of " + spec.taskTimeout().toMillis()
                    + " ms and was interrupted: " + c.job.describe(i, i + 1)));
        }
    }

    private void failItems(Chunk c, RuntimeException e) {
        Throwable why = e instanceof ClusterTopologyException || e instanceof ClusterGroupEmptyException
                ? new WorkerDiedException("no node could run " + c.job.describe(c.from, c.to) + ": " + e.getMessage(), -1, null)
                : e;
        for (int i = c.from; i < c.to; i++) fail(c, i, why);
    }

    private void fail(Chunk c, int i, Throwable why) {
        lock.lock();
        try {
            failed++;
        } finally {
            lock.unlock();
        }
        c.job.sink().failed(c.job.firstIndex() + i, why);
    }

    private void report(Chunk c, byte[] reply) {
        ResultSink sink = c.job.sink();
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(reply));
            byte kind = in.readByte();
            long nodePid = in.readLong();
            lock.lock();
            try {
                nodesSeen.add(nodePid);
            } finally {
                lock.unlock();
            }
            if (kind == NodeTasks.INIT_FAILED) {
                Throwable cause = RemoteErrors.rebuild(PoolMessages.readError(in));
                breakPool(new IllegalStateException("the pool's initializer failed on the node with pid " + nodePid + ": " + cause, cause));
                return;
            }
            int n = in.readInt();
            var type = c.job.function().returnType();
            int ok = 0, bad = 0;
            for (int i = 0; i < n; i++) {
                byte status = in.readByte();
                int index = c.job.firstIndex() + c.from + i;
                if (status == NodeTasks.OK) {
                    Object v = Codec.readSlot(in, type, loader);
                    sink.value(index, v);
                    ok++;
                } else {
                    sink.failed(index, RemoteErrors.rebuild(PoolMessages.readError(in)));
                    bad++;
                }
            }
            lock.lock();
            try {
                completed += ok;
                failed += bad;
            } finally {
                lock.unlock();
            }
        } catch (IOException | RuntimeException e) {
            failItems(c, new IllegalStateException("a node's reply cannot be read: " + e, e));
        }
    }

    // ------------------------------------------------------------------ cancelling

    @Override public boolean cancel(Job job, CancellationException reason) {
        List<IgniteFuture<byte[]>> stop = new ArrayList<>();
        lock.lock();
        try {
            if (!job.markCancelled()) return false;
            queue.removeIf(c -> c.job == job);
            for (var e : running.entrySet()) if (e.getKey().job == job) stop.add(e.getValue().future);
        } finally {
            lock.unlock();
        }
        for (var f : stop) f.cancel();
        job.sink().cancelled(reason);
        return true;
    }

    @Override public void cancelQueued() {
        List<Job> hit = new ArrayList<>();
        lock.lock();
        try {
            Set<Job> started = new HashSet<>();
            for (Chunk c : running.keySet()) started.add(c.job);
            for (Chunk c : queue) if (c.job.size() == 1 && !started.contains(c.job) && !hit.contains(c.job)) hit.add(c.job);
        } finally {
            lock.unlock();
        }
        for (Job j : hit) cancel(j, new CancellationException("cancelled: the executor shut down with cancelFutures"));
    }

    // ------------------------------------------------------------------ life cycle

    @Override public void close() {
        lock.lock();
        try {
            if (state == State.RUNNING) state = State.CLOSED;
            pump();
        } finally {
            lock.unlock();
        }
    }

    @Override public void terminate() { stop(State.TERMINATED, new CancellationException("the pool was terminated")); }

    private void breakPool(Throwable cause) { stop(State.BROKEN, cause); }

    private void stop(State newState, Throwable reason) {
        List<Job> hit = new ArrayList<>();
        List<IgniteFuture<byte[]>> futures;
        lock.lock();
        try {
            if (state == State.TERMINATED || state == State.BROKEN) return;
            state = newState;
            if (newState == State.BROKEN) brokenCause = reason;
            for (Chunk c : queue) if (!hit.contains(c.job)) hit.add(c.job);
            for (Chunk c : running.keySet()) if (!hit.contains(c.job)) hit.add(c.job);
            queue.clear();
            futures = new ArrayList<>();
            for (Sent sent : running.values()) futures.add(sent.future);
            running.clear();
            maybeFinish();
        } finally {
            lock.unlock();
        }
        for (var f : futures) f.cancel();
        for (Job j : hit) if (j.markCancelled()) j.sink().cancelled(reason);
    }

    /** Called only while holding {@code lock}. */
    private void maybeFinish() {
        if (finished || state == State.RUNNING || !queue.isEmpty() || !running.isEmpty()) return;
        finished = true;
        changed.signalAll();
        results.shutdown();
        try {
            Ignite ig = ctx.ignite();
            ig.compute(ig.cluster().forServers()).broadcastAsync(new PoolEndJob(id));
        } catch (RuntimeException e) {
            // the cluster is gone or closing: the nodes forget the pool with their own end
        }
    }

    @Override public boolean awaitFinished(long nanos, boolean requireStopped) throws InterruptedException {
        lock.lock();
        try {
            if (requireStopped && state == State.RUNNING) throw new IllegalStateException("Pool is still running: close() or terminate() it first");
            long deadline = nanos >= Long.MAX_VALUE - System.nanoTime() ? Long.MAX_VALUE : System.nanoTime() + nanos;
            while (!finished) {
                if (deadline == Long.MAX_VALUE) {
                    changed.await();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** True as soon as a server node is there to run tasks (nodes are not started by the pool). */
    @Override public boolean awaitWorkers(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (servers().isEmpty()) {
            if (deadline - System.nanoTime() <= 0) return false;
            TimeUnit.MILLISECONDS.sleep(50); // topology changes come from Ignite's discovery, not from this pool
        }
        return isRunning();
    }

    private List<ClusterNode> servers() { return List.copyOf(ctx.ignite().cluster().forServers().nodes()); }

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
            return finished;
        } finally {
            lock.unlock();
        }
    }

    @Override public int processes() { return spec.processes(); }

    /** Items counted as the local pool counts them; a worker is a server node (started: nodes that ran a chunk of this pool). */
    @Override public PoolStats stats() {
        int now = finished ? 0 : servers().size();
        lock.lock();
        try {
            return new PoolStats(completed, failed, nodesSeen.size(), 0, now);
        } finally {
            lock.unlock();
        }
    }

    /** The pids of the server nodes' JVMs (each may be on another machine). */
    @Override public List<Long> workerPids() { return ctx.nodePids(); }

    @Override public String kind() { return "cluster"; }

    @Override public String toString() { return "ClusterPool[" + id + " processes=" + spec.processes() + "]"; }
}
