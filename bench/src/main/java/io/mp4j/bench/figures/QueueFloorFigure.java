package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.queue.ChronicleSettings;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code queue_floor_chronicle_msgs_per_s}: the floor of {@code queue_throughput_msgs_per_s}, Chronicle Queue
 * alone. A producer process appends the same 200,000 ints and a sentinel, one excerpt each, and a consumer
 * process tails them, spinning while none is there: no claim protocol, no counters, no codec, no waiting
 * strategy. Both open the queue and run its append and read paths on a scratch queue (10,000 of each, as the
 * library's queues do in a child) before the start gate; timed as {@link QueueFigure}, from the producer's
 * start to the consumer's end; 3 reps, each with the context's warm JVMs ready (FORK, FORKSERVER).
 * Whatever the library's queues add lies between this row and theirs.
 */
public final class QueueFloorFigure implements Figure {
    static final String F = "queue_floor_chronicle_msgs_per_s";
    private static final int WARM_UP = 10_000;
    private static final int SENTINEL = -1;

    @Override public String key() { return "queue_floor"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = p.get("queue_items");
        List<Double> rates = new ArrayList<>();
        for (int rep = 0; rep < p.get("queue_reps"); rep++) {
            Figures.awaitWarmJvms(ctx, method);
            Path dir = ctx.resourceDir().resolve("bench-chronicle-" + System.nanoTime());
            try {
                rates.add(QueueFigure.rate(ctx, n, (gate, out) -> ctx.process(QueueFloorFigure::producer, dir.toString(), gate, n, out),
                        (gate, out) -> ctx.process(QueueFloorFigure::consumer, dir.toString(), gate, out)));
            } finally {
                deleteTree(dir);
            }
        }
        return List.of(Result.of(F, "", "msgs/s", "higher", rates));
    }

    /** A child: appends 0..n-1 then the sentinel, one excerpt each; reports its start. */
    public static void producer(String dir, String gatePath, Integer n, String out) throws Exception {
        long t0;
        try (SingleChronicleQueue q = open(Path.of(dir)); StartGate gate = StartGate.attach(gatePath)) {
            warmUp(Path.of(dir));
            ExcerptAppender a = q.createAppender();
            LoopCpu.prepare();
            gate.await();
            t0 = System.nanoTime();
            long c0 = LoopCpu.now();
            for (int i = 0; i < n; i++) append(a, i);
            append(a, SENTINEL);
            LoopCpu.print("floor-prod", t0, c0, n);
        }
        StartGate.report(out, t0);
    }

    /** A child: reads excerpts until the sentinel, spinning while none is there; reports its end and the count. */
    public static void consumer(String dir, String gatePath, String out) throws Exception {
        long count = 0, t1;
        try (SingleChronicleQueue q = open(Path.of(dir)); StartGate gate = StartGate.attach(gatePath)) {
            warmUp(Path.of(dir));
            ExcerptTailer t = q.createTailer();
            LoopCpu.prepare();
            gate.await();
            long w0 = System.nanoTime(), c0 = LoopCpu.now();
            for (int v; (v = next(t)) != SENTINEL; ) count++;
            t1 = System.nanoTime();
            LoopCpu.print("floor-cons", w0, c0, count);
        }
        StartGate.report(out, t1, count);
    }

    private static SingleChronicleQueue open(Path dir) {
        ChronicleSettings.apply();
        return SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_HOURLY).build();
    }

    private static void append(ExcerptAppender a, int v) {
        try (DocumentContext dc = a.writingDocument()) {
            dc.wire().bytes().writeInt(v);
        }
    }

    private static int next(ExcerptTailer t) {
        while (true) {
            try (DocumentContext dc = t.readingDocument()) {
                if (dc.isPresent()) return dc.wire().bytes().readInt();
            }
            Thread.onSpinWait();
        }
    }

    /** The append and read paths on a scratch queue beside {@code dir}, then the scratch queue deleted. */
    private static void warmUp(Path dir) throws IOException {
        // one scratch queue per process and thread: under THREAD both parties are threads of one JVM
        Path scratch = dir.resolveSibling(dir.getFileName() + "-warm-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId());
        try (SingleChronicleQueue q = open(scratch)) {
            ExcerptAppender a = q.createAppender();
            ExcerptTailer t = q.createTailer();
            for (int i = 0; i < WARM_UP; i++) {
                append(a, i);
                if (next(t) != i) throw new IllegalStateException("scratch queue returned another excerpt than " + i);
            }
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt(F, "", "msgs/s", "higher", why)); }
}
