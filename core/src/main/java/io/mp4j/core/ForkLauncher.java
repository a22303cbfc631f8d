package io.mp4j.core;

import io.mp4j.worker.ChildMain;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.JvmSpec;
import io.mp4j.worker.ReadyFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * FORK (fork-like): the parent keeps {@code standby} warm JVMs ready, started ahead of need with the
 * class path loaded and their read/decode/invoke path exercised ({@code ChildMain --warm}). {@code start()}
 * hands the oldest warm one its launch message (the task plus the parent's snapshot); a replacement starts
 * in the background when that process ends. Standby JVMs are this JVM's children: they exit when it dies.
 *
 * <p>Standbys start and warm up at the lowest CPU priority where their threads may raise it back when they
 * get a task ({@link JvmFlags#atLowPriority}): they use spare CPU only, never a core that the program's
 * own processes need. When no standby is warm, the process gets a new JVM started without the warm-up, at
 * normal priority, as SPAWN does. Never more than {@code standby} JVMs are kept, warm or warming up.
 *
 * <p>The first standbys start when the first process ends, or at {@link #prewarm()} and {@link #awaitReady}: the
 * first {@code start()} of a program starts its own JVM at once and nothing beside it, so that a program that starts
 * one process and ends pays for one JVM, as under SPAWN. At {@link #shutdown()} the standbys are killed, warm or
 * not, and reaped: none outlives the program, and none finishes a warm-up that nobody will use.
 *
 * <p>Standbys are started with the spec of the latest start (options, class path): a start whose spec differs
 * from a standby's never takes it; it starts a JVM of its own, and the standbys of the old spec are stopped and
 * replaced by standbys of the new one.
 */
public final class ForkLauncher implements Launcher {
    /** The system property setting how many warm JVMs are kept ready (default 2). */
    public static final String STANDBY_PROPERTY = "mp4j.fork.standby";

    /** The context's private directory, made at the first standby's start (a program with none makes none for it). */
    private final Supplier<Path> dir;
    private final int standby;
    /** The spec new standbys are started with: the latest start's. Guarded by this. */
    private JvmSpec current;
    /** Standby JVMs started, oldest first, warm or still warming up. */
    private final Deque<Standby> ready = new ArrayDeque<>();
    private final ExecutorService refill = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mp4j-fork-standby");
        t.setDaemon(true);
        return t;
    });
    private boolean shutdown;
    private int starting;
    /** JVMs started cold for a start, and starts handed to a warm standby (for tests). Guarded by this. */
    private int coldStarts, warmStarts;
    /** How long {@link #shutdown()} waits for the refill thread's start in progress and for a killed standby's end. */
    private static final long STOP_WAIT_MILLIS = 2_000;

    private record Standby(JvmChild child, ReadyFile ready, JvmSpec spec) {
        boolean isWarm() { return ready.isSignalled(); }

        /**
         * Kills the standby (SIGKILL: one still warming up would otherwise go on until its JVM is far enough to
         * see its parent's end) and reaps it, waiting at most {@link #STOP_WAIT_MILLIS}.
         */
        void stop() {
            ready.forget();
            child.kill();
            try {
                child.awaitExit(TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            child.release();
        }
    }

    /**
     * A launcher that keeps warm standby JVMs once it is asked to ({@link #prewarm()}, {@link #awaitReady}) or once
     * its first process has ended; none before.
     *
     * @param dir the private directory for the standbys' ready files (the context's), asked for at the first standby
     * @param spec what the first standbys are started with
     */
    public ForkLauncher(Supplier<Path> dir, JvmSpec spec) {
        this.dir = dir;
        this.current = spec;
        this.standby = Math.max(0, Integer.getInteger(STANDBY_PROPERTY, 2));
    }

    @Override
    public void prewarm() {
        for (int i = 0; i < standby; i++) refillLater();
    }

    /** Drops standbys that ended before getting a task (killed, out of memory). Called holding this. */
    private void pruneDead() {
        for (Iterator<Standby> it = ready.iterator(); it.hasNext(); ) {
            Standby s = it.next();
            if (s.child().onExit().isDone()) {
                it.remove();
                s.ready().forget();
            }
        }
    }

    private void addStandby() {
        JvmSpec spec;
        synchronized (this) {
            pruneDead();
            if (shutdown || ready.size() + starting >= standby) return;
            starting++;
            spec = current;
        }
        try {
            Standby c = startWarm(spec);
            Standby stale = null;
            synchronized (this) {
                starting--;
                if (shutdown || !spec.equals(current)) { // the spec changed while it started: stale already
                    stale = c;
                } else {
                    ready.addLast(c);
                }
            }
            if (stale != null) stale.stop();
        } catch (IOException e) {
            synchronized (this) {
                starting--;
            }
            // a failed standby start is retried by the next launch, which then starts a JVM itself
        }
    }

    private Standby startWarm(JvmSpec spec) throws IOException {
        ReadyFile file = ReadyFile.in(dir.get(), "standby-");
        String app = ChildMain.applicationClass();
        ProcessBuilder pb = app == null ? SpawnLauncher.builder(spec, "--warm", file.argument())
                : SpawnLauncher.builder(spec, "--warm", file.argument(), ChildMain.OPEN_TO_ARG + app);
        pb.command(JvmFlags.atLowPriority(pb.command()));
        return new Standby(new JvmChild(pb.start()), file, spec);
    }

    @Override
    public ChildHandle launch(byte[] frame, String processName, JvmSpec spec) throws Exception {
        Standby taken = null;
        List<Standby> stale = List.of();
        synchronized (this) {
            pruneDead();
            if (!spec.equals(current)) {
                current = spec;
                stale = ready.stream().filter(s -> !s.spec().equals(spec)).toList();
                ready.removeAll(stale);
            }
            for (Standby s : ready) {
                if (s.isWarm()) {
                    taken = s;
                    break;
                }
            }
            if (taken != null) {
                ready.remove(taken);
                warmStarts++;
            } else {
                coldStarts++;
            }
        }
        if (!stale.isEmpty()) stopLater(stale);
        JvmChild c;
        if (taken != null) {
            taken.ready().forget();
            c = taken.child();
        } else {
            c = new JvmChild(SpawnLauncher.builder(spec).start());
        }
        // replace the standby when this process ends, not now: a JVM warming up costs most of a core for
        // half a second, which a process that just started (a pool worker, a CPU-bound task) needs more
        c.onExit().whenComplete((code, e) -> refillAfterExit());
        c.send(frame);
        return c;
    }

    /** Kills {@code stale} on the refill thread (off the start path), then starts their replacements. */
    private void stopLater(List<Standby> stale) {
        try {
            refill.execute(() -> stale.forEach(Standby::stop));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stale.forEach(Standby::stop); // shut down: nothing else will
            return;
        }
        refillLater();
    }

    /**
     * How long after a process's end its replacement waits before it starts: a program that ends right after its last
     * process (the usual short program) ends within it, and starts and kills no standby it cannot use.
     */
    static final long EXIT_GRACE_MILLIS = 100;

    /** {@link #refillLater()} once {@link #EXIT_GRACE_MILLIS} have passed, unless this launcher shuts down first. */
    private void refillAfterExit() {
        try {
            refill.execute(() -> {
                if (awaitShutdown(EXIT_GRACE_MILLIS)) return;
                addStandby();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shut down
        }
    }

    /** Waits at most {@code millis} for {@link #shutdown()}; returns whether it came (or this thread was interrupted). */
    private synchronized boolean awaitShutdown(long millis) {
        return Monitors.awaitOrInterrupt(this, () -> shutdown, millis);
    }

    private void refillLater() {
        try {
            refill.execute(this::addStandby);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shut down
        }
    }

    /**
     * The pids of the standby JVMs, warm or warming up (for tests and memory reports).
     *
     * @return the pids
     */
    public synchronized List<Long> standbyPids() {
        return ready.stream().map(s -> s.child().pid()).toList();
    }

    /** Waits until {@code standby} warm JVMs are ready, at most {@code timeoutNanos}; returns whether they are. */
    public boolean awaitReady(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            synchronized (this) {
                if (shutdown) return false;
                pruneDead();
                if (ready.size() >= standby && ready.stream().allMatch(Standby::isWarm)) return true;
            }
            refillLater();
            if (System.nanoTime() - deadline >= 0) return false;
            Thread.sleep(5);
        }
    }

    /**
     * How many starts got a JVM started for them (no standby was warm) and how many a warm standby (for tests).
     *
     * @return {@code [cold, warm]}
     */
    public synchronized int[] startCounts() { return new int[]{coldStarts, warmStarts}; }

    /**
     * Kills the standbys, warm or warming up, and reaps them; a standby being started meanwhile is killed as soon as
     * its start returns (this waits for that, at most {@link #STOP_WAIT_MILLIS}).
     */
    @Override
    public void shutdown() {
        synchronized (this) {
            shutdown = true;
            notifyAll();
        }
        refill.shutdownNow();
        try {
            refill.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Standby> left;
        synchronized (this) {
            left = List.copyOf(ready);
            ready.clear();
        }
        for (Standby c : left) c.stop();
    }
}
