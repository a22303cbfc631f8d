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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
 * <p>Standbys are started with the spec of the latest start (options, class path): a start whose spec differs
 * from a standby's never takes it; it starts a JVM of its own, and the standbys of the old spec are stopped and
 * replaced by standbys of the new one.
 */
public final class ForkLauncher implements Launcher {
    /** The system property setting how many warm JVMs are kept ready (default 2). */
    public static final String STANDBY_PROPERTY = "mp4j.fork.standby";

    private final Path dir;
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

    private record Standby(JvmChild child, ReadyFile ready, JvmSpec spec) {
        boolean isWarm() { return ready.isSignalled(); }

        void release() {
            child.release();
            ready.forget();
        }
    }

    /**
     * A launcher that keeps warm standby JVMs, started at once in the background.
     *
     * @param dir a private directory for the standbys' ready files (the context's)
     * @param spec what the first standbys are started with
     */
    public ForkLauncher(Path dir, JvmSpec spec) {
        this.dir = dir;
        this.current = spec;
        this.standby = Math.max(0, Integer.getInteger(STANDBY_PROPERTY, 2));
        for (int i = 0; i < standby; i++) refill.execute(this::addStandby);
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
            synchronized (this) {
                starting--;
                if (shutdown || !spec.equals(current)) { // the spec changed while it started: stale already
                    c.release();
                    return;
                }
                ready.addLast(c);
            }
        } catch (IOException e) {
            synchronized (this) {
                starting--;
            }
            // a failed standby start is retried by the next launch, which then starts a JVM itself
        }
    }

    private Standby startWarm(JvmSpec spec) throws IOException {
        ReadyFile file = ReadyFile.in(dir, "standby-");
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
            if (taken != null) ready.remove(taken);
        }
        for (Standby s : stale) s.release();
        if (!stale.isEmpty()) refillLater();
        JvmChild c;
        if (taken != null) {
            taken.ready().forget();
            c = taken.child();
        } else {
            c = new JvmChild(SpawnLauncher.builder(spec).start());
        }
        // replace the standby when this process ends, not now: a JVM warming up costs most of a core for
        // half a second, which a process that just started (a pool worker, a CPU-bound task) needs more
        c.onExit().whenComplete((code, e) -> refillLater());
        c.send(frame);
        return c;
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

    @Override
    public void shutdown() {
        List<Standby> left;
        synchronized (this) {
            shutdown = true;
            left = List.copyOf(ready);
            ready.clear();
        }
        refill.shutdownNow();
        for (Standby c : left) c.release();
    }
}
