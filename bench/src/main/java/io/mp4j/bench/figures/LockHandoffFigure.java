package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.sync.Semaphore;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code lock_handoff_us}: the hand-off latency of the library's cross-process synchronization: two
 * {@link Semaphore}s at 0 ping-ponged between the coordinator and a child ({@code release} here,
 * {@code acquire} there, and back); a sample is half of one round trip. 20,000 samples after 1,000
 * warm-ups (the pipe figure's counts). No Python counterpart; compare with {@code shm_floor_cas_roundtrip_ns}.
 */
public final class LockHandoffFigure implements Figure {
    @Override public String key() { return "lock_handoff"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        Semaphore ping = ctx.semaphore(0), pong = ctx.semaphore(0);
        int warmup = p.get("pipe_warmup"), n = p.get("pipe_n");
        MpProcess child = ctx.process(LockHandoffFigure::ponger, ping, pong, warmup + n);
        child.setDaemon(true);
        child.start();
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < warmup + n; i++) {
            long t0 = System.nanoTime();
            ping.release();
            pong.acquire();
            long dt = System.nanoTime() - t0;
            if (i >= warmup) samples.add(dt / 2e3);
        }
        child.join();
        if (child.exitCode() != 0) throw new IllegalStateException("hand-off child exited with " + child.exitCode());
        return List.of(Result.of("lock_handoff_us", "", "us", "lower", samples));
    }

    /** A child: answers {@code total} pings. */
    public static void ponger(Semaphore ping, Semaphore pong, Integer total) throws InterruptedException {
        for (int i = 0; i < total; i++) {
            ping.acquire();
            pong.release();
        }
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt("lock_handoff_us", "", "us", "lower", why)); }
}
