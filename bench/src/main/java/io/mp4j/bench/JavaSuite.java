package io.mp4j.bench;

import io.mp4j.bench.figures.Figure;
import io.mp4j.bench.figures.Figures;
import io.mp4j.worker.AotCache;
import io.mp4j.worker.JvmFlags;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs each (figure, start method) in a fresh JVM ({@link FigureMain}) with the library's JVM flags and this
 * JVM's class path, under a watchdog, and collects the results; a start method that is not built yet is
 * found once, here, and every figure under it reported as not built. A smoke run ({@link BenchOptions#sharesJvms})
 * runs the figures of each start method in one JVM instead, two such JVMs at a time.
 */
final class JavaSuite {
    private final BenchOptions options;
    private final PrintStream log;
    private final Duration timeout;

    /** {@code timeout}: the watchdog's limit for one figure JVM. */
    JavaSuite(BenchOptions options, PrintStream log, Duration timeout) {
        this.options = options;
        this.log = log;
        this.timeout = timeout;
    }

    /** With the default limit: 5 minutes per figure JVM at full scale, at least 1 minute at smoke scale. */
    JavaSuite(BenchOptions options, PrintStream log) {
        this(options, log, Duration.ofSeconds(Math.max(60, (long) (300 * Math.min(1.0, options.scale() * 4)))));
    }

    List<ResultTable.JavaEntry> run() throws Exception {
        prepareAotCaches();
        return options.sharesJvms() ? runShared() : runEach();
    }

    /** Each (figure, start method) in a fresh JVM. */
    private List<ResultTable.JavaEntry> runEach() throws Exception {
        // A start method found not built (by its first figure JVM) is not tried again.
        Map<String, String> missing = new LinkedHashMap<>();
        List<ResultTable.JavaEntry> out = new ArrayList<>();
        for (String key : options.figures()) {
            Figure fig = Figures.get(key);
            for (String m : options.methods()) {
                if (!fig.appliesTo(m)) continue;
                if (missing.containsKey(m)) {
                    for (Result r : fig.notBuilt(missing.get(m))) out.add(new ResultTable.JavaEntry(m, r, null));
                    continue;
                }
                long t0 = System.nanoTime();
                Run run = runJvm(List.of(key), m, timeout);
                String failure = run.failureOf(key);
                log.printf("# java %s/%s: %.1fs%s%n", key, m, (System.nanoTime() - t0) / 1e9, failure == null ? "" : " ERROR " + failure);
                String why = record(out, key, m, run);
                if (why != null) {
                    missing.put(m, why);
                    log.println("# start method " + m + ": " + why);
                }
            }
        }
        return out;
    }

    /**
     * A smoke run: the figures of each start method one after the other in one JVM (their numbers are not for
     * reading), two start methods' JVMs at a time: each spends much of its time waiting for its children's JVMs.
     */
    private List<ResultTable.JavaEntry> runShared() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon().name("bench-smoke").unstarted(r));
        try {
            List<Future<List<ResultTable.JavaEntry>>> perMethod = new ArrayList<>();
            for (String m : options.methods()) perMethod.add(pool.submit(() -> runShared(m)));
            List<ResultTable.JavaEntry> out = new ArrayList<>();
            for (Future<List<ResultTable.JavaEntry>> f : perMethod) out.addAll(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The figures of start method {@code m} in one JVM. */
    private List<ResultTable.JavaEntry> runShared(String m) throws Exception {
        List<ResultTable.JavaEntry> out = new ArrayList<>();
        List<String> keys = options.figures().stream().filter(k -> Figures.get(k).appliesTo(m)).toList();
        if (keys.isEmpty()) return out;
        long t0 = System.nanoTime();
        Run run = runJvm(keys, m, timeout.multipliedBy(keys.size()));
        log.printf("# java %s (%d figures in one JVM): %.1fs%s%n", m, keys.size(), (System.nanoTime() - t0) / 1e9,
                run.jvmFailure() == null ? "" : " ERROR " + run.jvmFailure());
        for (String key : keys) {
            String why = record(out, key, m, run);
            if (why != null) log.println("# start method " + m + ": " + why);
        }
        return out;
    }

    /** Adds what {@code run} says of figure {@code key} to {@code out}; returns why the start method is not built, or null. */
    private String record(List<ResultTable.JavaEntry> out, String key, String m, Run run) {
        Figure fig = Figures.get(key);
        String failure = run.failureOf(key);
        if (failure != null) {
            for (Result r : fig.notBuilt(failure)) out.add(new ResultTable.JavaEntry(m, r, failure));
            return null;
        }
        List<Result> results = run.outcomes().get(key).results();
        for (Result r : results) {
            out.add(new ResultTable.JavaEntry(m, r, null));
            if (r.measured()) log.println(r.stats().tsv(r.name(m), r.unit()));
        }
        return methodNotBuilt(results, m);
    }

    /** What a figure JVM left: an outcome per figure it reached, and why it ended early (null when it did not). */
    private record Run(Map<String, FigureMain.Outcome> outcomes, String jvmFailure) {
        /** Why figure {@code key} has no results (its error, or the JVM's end), or null when it has. */
        String failureOf(String key) {
            FigureMain.Outcome o = outcomes.get(key);
            if (o == null) return jvmFailure == null ? "figure JVM ended before this figure" : jvmFailure;
            return o.error();
        }
    }

    /**
     * Builds the children's ahead-of-time caches for this class path (the figure JVMs run on the same one) before
     * the first figure, untimed. The library trains a missing cache in the background at its first child, once
     * per class path (a build of the jars makes a new one): left to the first figure, that training (two JVMs of
     * some seconds each) ran beside the first figures of the first run after every build and slowed them
     * (docs/journal/2026-12-07-figures-from-code-comments.md#benchmark). An installed library has its caches.
     */
    private void prepareAotCaches() throws InterruptedException {
        for (AotCache cache : List.of(AotCache.current(), AotCache.standby())) {
            if (!cache.isUsable() || cache.isValid()) continue;
            long t0 = System.nanoTime();
            boolean ok;
            try {
                ok = cache.build();
            } catch (java.io.IOException e) {
                ok = false;
            }
            log.printf("# aot cache %s: %s in %.1fs%n", cache.file().getFileName(), ok ? "trained" : "NOT built", (System.nanoTime() - t0) / 1e9);
        }
    }

    /** "not built yet: start method M" when every result says the start method itself is missing; else null. */
    static String methodNotBuilt(List<Result> results, String method) {
        if (results.isEmpty()) return null;
        for (Result r : results) {
            if (r.measured() || !r.notBuilt().contains("start method " + method)) return null;
        }
        return "not built yet: start method " + method;
    }

    private Run runJvm(List<String> keys, String method, Duration limit) throws Exception {
        File out = File.createTempFile("mp4j-" + ProcessHandle.current().pid() + "-bench-" + method + "-", ".json");
        try {
            CommandLine cmd = new CommandLine(JvmFlags.javaExecutable());
            for (String f : JvmFlags.REQUIRED) cmd.addArgument(f, false);
            for (String f : io.mp4j.cluster.ClusterFlags.IGNITE) cmd.addArgument(f, false); // the cluster figure's client node
            cmd.addArgument("-Xshare:auto", false);
            cmd.addArgument("-Djava.awt.headless=true", false);
            if (options.sharesJvms()) {
                // a smoke run keeps one warm JVM, not two, and it skips its warm-up stages: each standby's warm-up
                // costs seconds of CPU after every process that took one, and at the lowest priority it waits for
                // the other figure JVMs and CPython's suite; a child that receives a queue skips its JIT warm-up
                // (10,000 items through a scratch queue)
                cmd.addArgument("-Dmp4j.fork.standby=1", false);
                cmd.addArgument("-D" + io.mp4j.worker.ChildMain.NO_STANDBY_WARMUP_PROPERTY + "=true", false);
                cmd.addArgument("-Dmp4j.queue.noWarmup=true", false);
            }
            cmd.addArgument("-cp", false);
            cmd.addArgument(System.getProperty("java.class.path"), false);
            cmd.addArgument(FigureMain.class.getName(), false);
            cmd.addArgument(String.join(",", keys), false);
            cmd.addArgument(method, false);
            cmd.addArgument(Double.toString(options.scale()), false);
            cmd.addArgument(String.join(",", options.workers().stream().map(String::valueOf).toList()), false);
            cmd.addArgument(out.getAbsolutePath(), false);
            ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(limit).get();
            DefaultExecutor exec = DefaultExecutor.builder().get();
            exec.setWatchdog(watchdog);
            exec.setStreamHandler(new PumpStreamHandler(log, log));
            exec.setExitValues(null);
            int rc;
            try {
                rc = exec.execute(cmd);
            } catch (ExecuteException e) {
                rc = e.getExitValue();
            }
            Map<String, FigureMain.Outcome> outcomes = FigureMain.read(out);
            String jvmFailure = null;
            if (watchdog.killedProcess()) jvmFailure = "timeout after " + limit.toSeconds() + "s";
            else if (outcomes.size() < keys.size()) jvmFailure = "figure JVM exited with " + rc + " and no result";
            return new Run(outcomes, jvmFailure);
        } finally {
            Files.deleteIfExists(out.toPath());
        }
    }
}
