package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code shm_floor_cas_roundtrip_ns}: the floor of every shared-memory figure, a plain two-process
 * compare-and-set ping-pong over one mapped file (no library code on the path: a {@link VarHandle} on a
 * {@link MemorySegment} of a file in the context's private directory under /dev/shm).
 *
 * <pre>
 *   0: long turn    odd = the parent pinged (child's turn), even = the child ponged (parent's turn)
 *   8: long ready   1 once the child has mapped the file
 * </pre>
 * Both sides spin ({@link Thread#onSpinWait}), yielding the core now and then so that an overloaded machine
 * still makes progress; a sample is the mean round trip of a batch.
 */
public final class ShmFloorFigure implements Figure {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long TURN = 0, READY = 8, SIZE = 4096;

    @Override public String key() { return "shm_floor"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int warmup = p.get("x_floor_warmup_n");
        int batch = p.get("x_floor_batch");
        int batches = Math.max(2, p.get("x_floor_n") / batch);
        long total = warmup + (long) batches * batch;
        Path file = ctx.resourceDir().resolve("bench-floor-" + System.nanoTime());
        List<Double> samples = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = map(file, arena);
            MpProcess child = ctx.process(ShmFloorFigure::pong, file.toString(), total);
            child.setDaemon(true);
            child.start();
            while ((long) LONG.getVolatile(seg, READY) == 0) {
                if (!child.isAlive()) throw new IllegalStateException("ping-pong child died: exit code " + child.exitCode());
                Thread.onSpinWait();
            }
            long i = 0;
            for (; i < warmup; i++) ping(seg, i);
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < batch; k++, i++) ping(seg, i);
                samples.add((System.nanoTime() - t0) / (double) batch);
            }
            child.join();
            if (child.exitCode() != 0) throw new IllegalStateException("ping-pong child exit code " + child.exitCode());
        } finally {
            Files.deleteIfExists(file);
        }
        return List.of(Result.of("shm_floor_cas_roundtrip_ns", "", "ns", "lower", samples));
    }

    /** Round trip {@code i}: turn 2i → 2i+1 (ping), then wait for the child's 2i+2 (pong). */
    private static void ping(MemorySegment seg, long i) {
        if (!LONG.compareAndSet(seg, TURN, 2 * i, 2 * i + 1)) throw new IllegalStateException("lost turn at " + i);
        for (int s = 1; (long) LONG.getVolatile(seg, TURN) != 2 * i + 2; s++) spin(s);
    }

    /** Spins; every 4,096th time yields the core (the peer may be waiting for it on a busy machine). */
    private static void spin(int s) {
        if ((s & 4095) == 0) Thread.yield();
        else Thread.onSpinWait();
    }

    /** The child: answers {@code total} pings. */
    public static void pong(String path, Long total) throws IOException {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = map(Path.of(path), arena);
            LONG.setVolatile(seg, READY, 1L);
            for (long i = 0; i < total; i++) {
                for (int s = 1; !LONG.compareAndSet(seg, TURN, 2 * i + 1, 2 * i + 2); s++) spin(s);
            }
        }
    }

    /** Maps {@code file} (created if missing) as one page of shared memory: 4096 bytes. */
    static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < SIZE) ch.truncate(SIZE).write(java.nio.ByteBuffer.allocate(1), SIZE - 1);
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        }
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("shm_floor_cas_roundtrip_ns", "", "ns", "lower", why));
    }
}
