package io.mp4j.bench;

import io.mp4j.bench.figures.Figures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole harness at {@code --scale 0.05}, so that it cannot rot: every figure once under {@code thread}
 * (the figure code is the same for every start method, and a thread child costs no JVM start), then the
 * figures that need child JVMs under {@code spawn}, with CPython's spawn beside them when python3 and
 * run.sh are here (the join, ratio, target, charts and files). A smoke run: the figures of a start method
 * share one JVM ({@link BenchOptions#sharesJvms}).
 */
class BenchSmokeTest {
    @TempDir Path out;

    private static ResultTable run(List<String> args, ByteArrayOutputStream text) throws Exception {
        return BenchMain.run(BenchOptions.parse(args.toArray(String[]::new)), String.join(" ", args), new PrintStream(text, true), System.err);
    }

    @Test
    void shouldRunEveryFigureEndToEndAtSmokeScale() throws Exception {
        var text = new ByteArrayOutputStream();
        // first_use starts some twenty whole program JVMs: its plumbing has a test of its own (FirstUseFigureTest)
        List<String> keys = Figures.defaultKeys().stream().filter(k -> !k.equals("first_use")).toList();
        ResultTable threads = run(List.of("--scale", "0.05", "--methods", "thread", "--only", String.join(",", keys), "--no-python",
                "--out", out.resolve("thread").toString()), text);
        for (String key : keys) {
            if (!Figures.get(key).appliesTo("thread")) continue;
            assertThat(threads.rows()).as("rows of " + key).anySatisfy(r -> assertThat(r.key()).startsWith(figurePrefix(key)));
        }
        assertThat(threads.rows()).allSatisfy(r -> assertThat(r.java()).as(r.name() + ": " + r.javaNote()).isNotNull());

        boolean python = PythonSuite.pythonPresent() && PythonSuite.locate() != null;
        List<String> args = new ArrayList<>(List.of("--scale", "0.05", "--methods", "spawn", "--only", "process_start,forkjoin,idle_rss,jvm_floor",
                "--out", out.resolve("spawn").toString()));
        if (!python) args.add("--no-python");
        ResultTable spawn = run(args, text);
        assertThat(spawn.rows()).noneMatch(r -> r.status() == Row.Status.FAILED || r.status() == Row.Status.NOT_BUILT);
        Row start = spawn.rows().stream().filter(r -> r.name().equals("process_start_join_ms.spawn")).findFirst().orElseThrow();
        assertThat(start.java().n()).isEqualTo(2);
        assertThat(spawn.rows()).anySatisfy(r -> assertThat(r.name()).isEqualTo("idle_worker_rss_mib.spawn"));
        for (String floor : List.of("jvm_floor_start_exit_ms.spawn", "jvm_floor_exit_ms.spawn", "jvm_floor_idle_rss_mib.spawn")) {
            Row row = spawn.rows().stream().filter(r -> r.name().equals(floor)).findFirst().orElseThrow();
            assertThat(row.java().median()).as(floor).isPositive();
        }
        assertThat(spawn.rows()).anySatisfy(r -> assertThat(r.name()).isEqualTo("forkjoin_throughput_ratio.pool_vs_forkjoinpool.spawn"));
        assertThat(text.toString()).contains("process_start_join_ms", "Java median (min–max)");
        for (String f : List.of("bench-results.json", "bench-table.tsv", "bench-table.md", "java-results.tsv")) {
            assertThat(out.resolve("spawn").resolve(f)).isNotEmptyFile();
        }
        if (python) {
            assertThat(start.python()).isNotNull();
            assertThat(start.ratio()).isPositive();
            assertThat(out.resolve("spawn/python-results.tsv")).isNotEmptyFile();
            assertThat(out.resolve("spawn/ratios.png")).isNotEmptyFile();
            assertThat(Files.readString(out.resolve("spawn/ratios.svg"))).contains("<svg");
        }
    }

    private static String figurePrefix(String key) {
        return switch (key) {
            case "process_start" -> "process_start_join_ms";
            case "pool_map" -> "pool_map_tiny";
            case "apply_async" -> "apply_async_roundtrip";
            case "maxtasksperchild" -> "maxtasksperchild_";
            case "shm_floor" -> "shm_floor_";
            case "idle_rss" -> "idle_";
            case "jvm_floor" -> "jvm_floor_";
            case "queue_latency" -> "queue_put_get_latency_us";
            case "queue_wake" -> "queue_burst_wake_ms";
            case "pool_spawn_spread" -> "pool_spawn_start_spread_ms";
            case "pipe_poll_budget" -> "pipe_poll_budget_us";
            default -> key;
        };
    }
}
