package io.mp4j.bench;

import io.mp4j.worker.JvmFlags;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The micro figures through JMH ({@code --jmh}): codec round trip (and, once locks exist, lock hand-off).
 * Each benchmark's iteration scores become the samples of a figure {@code jmh_<benchmark>_<unit>},
 * method {@code jvm} (no start method, no Python counterpart).
 */
final class JmhFigures {
    private JmhFigures() {}

    static List<ResultTable.JavaEntry> run(BenchOptions o, PrintStream log) throws Exception {
        boolean smoke = o.scale() < 0.5;
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("io\\.mp4j\\.bench\\.jmh\\..*")
                .forks(1)
                .jvmArgsAppend(JvmFlags.REQUIRED.toArray(String[]::new))
                .warmupIterations(smoke ? 1 : 3).warmupTime(TimeValue.seconds(smoke ? 1 : 2))
                .measurementIterations(smoke ? 2 : 5).measurementTime(TimeValue.seconds(smoke ? 1 : 2))
                .shouldDoGC(false);
        Collection<RunResult> results = new Runner(b.build()).run();
        List<ResultTable.JavaEntry> out = new ArrayList<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String simple = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1).replace('.', '_');
            String unit = r.getPrimaryResult().getScoreUnit().replace("/op", "");
            List<Double> samples = new ArrayList<>();
            r.getBenchmarkResults().forEach(br -> br.getIterationResults().forEach(ir -> samples.add(ir.getPrimaryResult().getScore())));
            Result res = Result.of("jmh_" + toSnake(simple) + "_" + unit, "", unit, "lower", samples);
            out.add(new ResultTable.JavaEntry("jvm", res, null));
            log.println(res.stats().tsv(res.name("jvm"), unit));
        }
        return out;
    }

    static String toSnake(String s) {
        return s.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
