package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.Pool;
import io.mp4j.StartMethod;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.core.pool.StartThrottle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pool_spawn_start_spread_ms}: how far apart a SPAWN pool starts its workers' JVMs, from the first JVM's
 * start to the last's (JVM start times come in clock ticks of 10 ms). A pool of one more worker than may start at
 * once ({@link StartThrottle#limit}) with one task ({@code .one_task}) starts them in turn, the last only once
 * an earlier one is up: target at least 30 ms; with work for every worker at once ({@code .work_for_all}) it
 * starts them all together: target at most 200 ms. Formerly timed assertions of the pool's unit tests.
 */
public final class PoolSpawnSpreadFigure implements Figure {
    static final String F = "pool_spawn_start_spread_ms";

    @Override public String key() { return "pool_spawn_spread"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return method.equals("spawn"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int workers = StartThrottle.limit(StartMethod.SPAWN, Runtime.getRuntime().availableProcessors()) + 1;
        List<Double> oneTask = new ArrayList<>(), forAll = new ArrayList<>();
        for (int rep = 0; rep < p.get("x_spawn_spread_reps"); rep++) {
            oneTask.add(spread(ctx, workers, false));
            forAll.add(spread(ctx, workers, true));
        }
        return List.of(Result.of(F, "one_task", "ms", "higher", oneTask), Result.of(F, "work_for_all", "ms", "lower", forAll));
    }

    /** Starts a pool of {@code workers}, gives it one task or work for all, and returns its JVMs' start spread. */
    private static double spread(Context ctx, int workers, boolean workForAll) throws Exception {
        Path f = ctx.resourceDir().resolve("spread-" + System.nanoTime() + ".txt");
        try {
            try (Pool pool = ctx.poolBuilder().processes(workers).initializer(PoolSpawnSpreadFigure::recordStart, f.toString()).build()) {
                if (workForAll) pool.map(BenchTasks::inc, java.util.stream.IntStream.range(0, 4 * workers).boxed().toList(), 1);
                else pool.apply(BenchTasks::inc, 1);
                pool.close();
                if (!pool.join(120, TimeUnit.SECONDS)) throw new IllegalStateException("the pool's workers did not end");
            }
            List<Long> starts = Files.readAllLines(f).stream().map(Long::parseLong).toList();
            if (starts.size() != workers) throw new IllegalStateException(starts.size() + " of " + workers + " workers started");
            return java.util.Collections.max(starts) - java.util.Collections.min(starts);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    /** A worker's initializer: appends its JVM's start time (ms since the epoch) to {@code file}. */
    public static void recordStart(String file) throws IOException {
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Files.writeString(Path.of(file), started + "\n", StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "one_task", "ms", "higher", why), Result.notBuilt(F, "work_for_all", "ms", "lower", why));
    }
}
