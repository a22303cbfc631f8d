package io.mp4j.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultTableTest {
    private static ResultTable.JavaEntry java(String method, String figure, String variant, String unit, String better, double... xs) {
        List<Double> s = java.util.Arrays.stream(xs).boxed().toList();
        return new ResultTable.JavaEntry(method, Result.of(figure, variant, unit, better, s), null);
    }

    private static Map<String, Stats.Named> python(String... tsv) {
        return PythonSuite.parse(String.join("\n", tsv));
    }

    private static Row row(ResultTable t, String name) {
        return t.rows().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no row " + name));
    }

    @Test
    void shouldComputeRatioAsJavaOverPythonAndMeetAnUpperBound() {
        ResultTable t = ResultTable.build(List.of(java("spawn", "process_start_join_ms", "", "ms", "lower", 30, 40, 50)),
                python("process_start_join_ms.spawn\t51.6\tms\t50.0\t60.0\t20"), 2);
        Row r = row(t, "process_start_join_ms.spawn");
        assertThat(r.ratio()).isCloseTo(40 / 51.6, within(1e-9));
        assertThat(r.target().describe("ms")).isEqualTo("≤ 0.8× py");
        assertThat(r.status()).isEqualTo(Row.Status.MET);
    }

    @Test
    void shouldReportAnUpperBoundMissedWhenJavaIsSlower() {
        ResultTable t = ResultTable.build(List.of(java("spawn", "process_start_join_ms", "", "ms", "lower", 400)),
                python("process_start_join_ms.spawn\t51.6\tms\t50.0\t60.0\t20"), 2);
        assertThat(row(t, "process_start_join_ms.spawn").status()).isEqualTo(Row.Status.NOT_MET);
    }

    @Test
    void shouldCompareForkWithPythonForkserverAsPerformanceMdSays() {
        ResultTable t = ResultTable.build(List.of(java("fork", "process_start_join_ms", "", "ms", "lower", 5)),
                python("process_start_join_ms.fork\t2.4\tms\t2\t3\t20", "process_start_join_ms.forkserver\t5.5\tms\t5\t6\t20"), 2);
        Row r = row(t, "process_start_join_ms.fork");
        assertThat(r.pythonMethod()).isEqualTo("forkserver");
        assertThat(r.ratio()).isCloseTo(5 / 5.5, within(1e-9));
        assertThat(r.status()).isEqualTo(Row.Status.MET);
    }

    @Test
    void shouldMeetALowerBoundOnRatesOnlyWhenTheRatioReachesIt() {
        ResultTable t = ResultTable.build(List.of(
                        java("spawn", "pool_map_tiny_tasks_per_s", "map_chunksize1", "tasks/s", "higher", 466_000),
                        java("fork", "pool_map_tiny_tasks_per_s", "map_chunksize1", "tasks/s", "higher", 465_000)),
                python("pool_map_tiny_tasks_per_s.map_chunksize1.spawn\t46600\ttasks/s\t40000\t50000\t3",
                        "pool_map_tiny_tasks_per_s.map_chunksize1.fork\t46600\ttasks/s\t40000\t50000\t3"), 2);
        assertThat(row(t, "pool_map_tiny_tasks_per_s.map_chunksize1.spawn").status()).isEqualTo(Row.Status.MET);
        assertThat(row(t, "pool_map_tiny_tasks_per_s.map_chunksize1.fork").status()).isEqualTo(Row.Status.NOT_MET);
    }

    @Test
    void shouldReportNotBuiltFiguresInsteadOfDroppingThem() {
        var e = new ResultTable.JavaEntry("spawn", Result.notBuilt("pipe_roundtrip_us", "", "us", "lower", "not built yet: Pipe (issue 5)"), null);
        ResultTable t = ResultTable.build(List.of(e), python("pipe_roundtrip_us.spawn\t22.7\tus\t20\t30\t20000"), 2);
        Row r = row(t, "pipe_roundtrip_us.spawn");
        assertThat(r.status()).isEqualTo(Row.Status.NOT_BUILT);
        assertThat(r.python().median()).isEqualTo(22.7);
        assertThat(t.toText()).contains("pipe_roundtrip_us").contains("not built: Pipe (issue 5)").contains("not built yet");
    }

    @Test
    void shouldKeepPythonFiguresTheJavaSideDidNotRun() {
        ResultTable t = ResultTable.build(List.of(), python("queue_throughput_msgs_per_s.queue.fork\t135000\tmsgs/s\t1\t2\t3"), 2);
        assertThat(row(t, "queue_throughput_msgs_per_s.queue.fork").status()).isEqualTo(Row.Status.NOT_RUN);
    }

    @Test
    void shouldSayNoPythonFigureWhenARatioTargetHasNoPythonSide() {
        ResultTable t = ResultTable.build(List.of(java("spawn", "apply_async_roundtrip_us", "", "us", "lower", 10)), Map.of(), 2);
        assertThat(row(t, "apply_async_roundtrip_us.spawn").status()).isEqualTo(Row.Status.NO_PYTHON);
    }

    @Test
    void shouldJudgeAbsoluteTargetsOnTheJavaMedian() {
        ResultTable t = ResultTable.build(List.of(
                java("spawn", "idle_worker_rss_mib", "", "MiB", "lower", 39, 45, 30),
                java("thread", "idle_worker_rss_mib", "", "MiB", "lower", 41, 45, 30),
                java("spawn", "cpu_bound_speedup", "pool2", "x", "higher", 1.9, 1.7, 1.85)), Map.of(), 2);
        assertThat(row(t, "idle_worker_rss_mib.spawn").status()).isEqualTo(Row.Status.MET);
        assertThat(row(t, "idle_worker_rss_mib.thread").status()).isEqualTo(Row.Status.NOT_MET);
        assertThat(row(t, "cpu_bound_speedup.pool2.spawn").status()).isEqualTo(Row.Status.MET);
    }

    @Test
    void shouldNotJudgeASixteenCoreTargetOnTwoCores() {
        ResultTable t = ResultTable.build(List.of(java("spawn", "scaling_speedup", "pool16", "x", "higher", 1.9)), Map.of(), 2);
        assertThat(row(t, "scaling_speedup.pool16.spawn").status()).isEqualTo(Row.Status.NEEDS_CORES);
        ResultTable big = ResultTable.build(List.of(java("spawn", "scaling_speedup", "pool16", "x", "higher", 15.2)), Map.of(), 16);
        assertThat(row(big, "scaling_speedup.pool16.spawn").status()).isEqualTo(Row.Status.MET);
    }

    @Test
    void shouldRequireEveryExactSampleToMatch() {
        ResultTable t = ResultTable.build(List.of(
                java("spawn", "value_lock_final_exact", "", "bool", "higher", 1, 1, 1),
                java("fork", "value_lock_final_exact", "", "bool", "higher", 1, 0, 1)), Map.of(), 2);
        assertThat(row(t, "value_lock_final_exact.spawn").status()).isEqualTo(Row.Status.MET);
        assertThat(row(t, "value_lock_final_exact.fork").status()).isEqualTo(Row.Status.NOT_MET);
    }

    @Test
    void shouldMarkFailedFiguresWithTheirReason() {
        var e = new ResultTable.JavaEntry("spawn", Result.notBuilt("pipe_roundtrip_us", "", "us", "lower", "boom"), "timeout after 60s");
        Row r = row(ResultTable.build(List.of(e), Map.of(), 2), "pipe_roundtrip_us.spawn");
        assertThat(r.status()).isEqualTo(Row.Status.FAILED);
        assertThat(r.javaNote()).contains("timeout after 60s");
    }

    @Test
    void shouldOrderRowsByFigureThenMethodAsPython() {
        ResultTable t = ResultTable.build(List.of(
                java("thread", "process_start_join_ms", "", "ms", "lower", 1),
                java("spawn", "process_start_join_ms", "", "ms", "lower", 1),
                java("spawn", "pool_startup_ms", "", "ms", "lower", 1)),
                python("process_start_join_ms.fork\t2.4\tms\t2\t3\t20"), 2);
        assertThat(t.rows()).extracting(Row::name).containsExactly("process_start_join_ms.fork", "process_start_join_ms.spawn",
                "process_start_join_ms.thread", "pool_startup_ms.spawn");
    }

    @Test
    void shouldWriteMarkdownAndTsvWithOneLinePerRow() {
        ResultTable t = ResultTable.build(List.of(java("spawn", "process_start_join_ms", "", "ms", "lower", 30, 40, 50)),
                python("process_start_join_ms.spawn\t51.6\tms\t50.0\t60.0\t20"), 2);
        assertThat(t.toMarkdown().lines()).hasSize(3).element(2).asString()
                .contains("`process_start_join_ms`", "40.000 (30.000–50.000) ms", "51.600 (50.000–60.000)", "0.78×", "met");
        assertThat(t.toTsv().lines().skip(1).findFirst().orElseThrow().split("\t"))
                .startsWith("process_start_join_ms.spawn", "ms", "40.000", "30.000", "50.000", "3", "spawn", "51.600");
    }

    @Test
    void shouldKeepTheOrderOfRowsWithinTheMap() {
        Map<String, Stats.Named> m = new LinkedHashMap<>(python("a.x.fork\t1\tms\t1\t1\t1", "b.fork\t1\tms\t1\t1\t1"));
        assertThat(m.keySet()).containsExactly("a.x.fork", "b.fork");
    }
}
