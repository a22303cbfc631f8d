package io.mp4j.core.pool;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.core.ProcessRegistry;
import io.mp4j.spi.PoolSpec;
import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.worker.pool.WorkerLoop;
import io.mp4j.worker.pool.WorkerSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts workers' processes on a thread of its own (a start may take milliseconds: a JVM spawned, a standby handed
 * its task): each is a pool-worker launch of the context ({@link WorkerLoop} with its {@link WorkerSettings}), a
 * daemon, and its end is reported. It also owns
 * the initializer's encoding: encoded with the pool (what cannot travel fails there), then anew for each later worker,
 * since a connection end among the arguments travels as a one-time claim.
 */
final class WorkerStarter {
    /** What the starter reports; each call takes the pool's lock itself. */
    interface Listener {
        /** Whether the worker is still wanted now that its turn came (false: the pool ended it meanwhile). */
        boolean wanted(WorkerSlot w);

        void started(WorkerSlot w, MpProcess p);

        /** It could not be started; {@code fatal}: no later worker can be either. */
        void startFailed(WorkerSlot w, Throwable cause, boolean fatal);

        /** Its process ended (or never started: code null). */
        void exited(WorkerSlot w, Integer code);
    }

    private final Context ctx;
    private final PoolSpec spec;
    private final FunctionTable.Entry initializer;
    private final AtomicReference<byte[]> firstInit = new AtomicReference<>();
    private final ThreadPoolExecutor spawner;
    private final java.util.function.Function<byte[], MpProcess> workerProcess;

    WorkerStarter(Context ctx, PoolSpec spec, int poolNumber, java.util.function.Function<byte[], MpProcess> workerProcess) {
        this.ctx = ctx;
        this.workerProcess = workerProcess;
        this.spec = spec;
        this.initializer = spec.initializer() == null ? null : FunctionTable.forWorkersOf(ctx.startMethod()).entry(spec.initializer());
        this.firstInit.set(encodeInitializer());
        this.spawner = new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> Thread.ofPlatform().daemon(true).name("mp4j-pool-" + poolNumber + "-starter").unstarted(r));
    }

    boolean hasInitializer() { return initializer != null; }

    /** Starts {@code w}'s process, on the starter's thread, attached to the work queue at {@code queue}. */
    void start(WorkerSlot w, Path queue, Listener l) {
        spawner.execute(() -> {
            if (ProcessRegistry.isExiting() || !l.wanted(w)) {
                // the JVM is exiting (its hooks stop the workers), or the pool ended the worker while it waited
                l.exited(w, null);
                return;
            }
            byte[] init = firstInit.getAndSet(null);
            if (init == null) {
                try {
                    init = encodeInitializer();
                } catch (RuntimeException e) { // an argument that travelled to the first workers cannot any more (a closed connection end)
                    l.startFailed(w, new IllegalStateException("cannot hand the initializer's arguments to worker " + w.name + ": " + e.getMessage(), e), true);
                    return;
                }
            }
            WorkerSettings s = new WorkerSettings(queue.toString(), w.consumer, w.generation, w.name, ctx.startMethod().isProcess(),
                    spec.maxTasksPerChild() == null ? 0 : spec.maxTasksPerChild(), spec.maxMemoryPerChild(), init);
            MpProcess p;
            try {
                p = workerProcess.apply(s.encode());
                p.setName(w.name);
                p.setDaemon(true);
                p.start();
            } catch (RuntimeException e) {
                l.startFailed(w, new IllegalStateException("cannot start pool worker " + w.name + ": " + e.getMessage(), e), false);
                return;
            }
            l.started(w, p);
            p.onExit().whenComplete((code, err) -> l.exited(w, err == null ? code : null));
        });
    }

    /** No more starts: the thread ends once idle. */
    void shutdown() { spawner.shutdown(); }

    private byte[] encodeInitializer() {
        WireBuffer b = new WireBuffer(64);
        try {
            b.writeBoolean(initializer != null);
            if (initializer != null) {
                Object[] a = spec.initargs();
                initializer.ref().checkArgs(a);
                initializer.ref().write(b);
                initializer.ref().writeArgs(b, a);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.copy(0, b.size());
    }
}
