package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code idle_worker_rss_mib}: VmRSS (from /proc/PID/status) of an idle pool worker (Pool(1), one task
 * done, then 500 ms idle); and {@code idle_process_rss_mib}, the same for a plain child process waiting
 * idle, the floor a pool worker adds to.
 */
public final class IdleRssFigure implements Figure {
    static final long IDLE_MS = 500;

    @Override public String key() { return "idle_rss"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return !method.equals("thread"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int reps = p.get("x_rss_reps");
        List<Double> proc = new ArrayList<>(), worker = new ArrayList<>();
        for (int r = 0; r < reps; r++) proc.add(idleProcessRss(ctx));
        String why = null;
        for (int r = 0; r < reps && why == null; r++) {
            try (PoolApi pool = PoolApi.open(ctx, 1)) {
                long pid = pool.apply(BenchTasks::pid, 0);
                Thread.sleep(IDLE_MS);
                worker.add(rssMib(pid));
            } catch (NotBuiltException e) {
                why = e.getMessage();
            }
        }
        List<Result> out = new ArrayList<>();
        out.add(why == null ? Result.of("idle_worker_rss_mib", "", "MiB", "lower", worker)
                : Result.notBuilt("idle_worker_rss_mib", "", "MiB", "lower", why));
        out.add(Result.of("idle_process_rss_mib", "", "MiB", "lower", proc));
        return out;
    }

    private static double idleProcessRss(Context ctx) throws Exception {
        Path dir = ctx.resourceDir();
        Path ready = dir.resolve("bench-rss-ready-" + System.nanoTime());
        Path stop = dir.resolve("bench-rss-stop-" + System.nanoTime());
        MpProcess child = ctx.process(IdleRssFigure::idle, ready.toString(), stop.toString());
        child.setDaemon(true);
        child.start();
        try {
            while (!Files.exists(ready)) {
                if (!child.isAlive()) throw new IllegalStateException("idle child died: exit code " + child.exitCode());
                Thread.sleep(5);
            }
            Thread.sleep(IDLE_MS);
            return rssMib(child.pid());
        } finally {
            Files.writeString(stop, "stop");
            child.join();
            Files.deleteIfExists(ready);
            Files.deleteIfExists(stop);
        }
    }

    /** The child: says it is ready, then idles (a 20 ms poll) until told to stop. */
    public static void idle(String ready, String stop) throws IOException, InterruptedException {
        Files.writeString(Path.of(ready), "ready");
        while (!Files.exists(Path.of(stop))) Thread.sleep(20);
    }

    /** VmRSS of a process in MiB, from /proc/PID/status. */
    static double rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                return Long.parseLong(f[0]) / 1024.0;                  // kB
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("idle_worker_rss_mib", "", "MiB", "lower", why),
                Result.notBuilt("idle_process_rss_mib", "", "MiB", "lower", why));
    }
}
