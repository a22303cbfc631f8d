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
 * The whole harness once, at {@code --scale 0.05} under spawn and thread (CPython's spawn beside it when
 * python3 and run.sh are here), so
 * that it cannot rot: every figure has rows, what exists is measured, the files and charts are written.
 */
class BenchSmokeTest {
    @TempDir Path out;

    @Test
    void shouldRunEveryFigureEndToEndAtSmokeScale() throws Exception {
        boolean python = PythonSuite.pythonPresent() && PythonSuite.locate() != null;
        // spawn and thread keep it near half a minute on 2 cores; fork and forkserver run the same figure code
        List<String> args = new ArrayList<>(List.of("--scale", "0.05", "--methods", "spawn,thread", "--out", out.toString()));
        if (!python) args.add("--no-python");
        var text = new ByteArrayOutputStream();
        ResultTable t = BenchMain.run(BenchOptions.parse(args.toArray(String[]::new)), String.join(" ", args),
                new PrintStream(text, true), System.err);

        for (String key : Figures.defaultKeys()) {
            assertThat(t.rows()).as("rows of " + key).anySatisfy(r -> assertThat(r.key()).startsWith(figurePrefix(key)));
        }
        assertThat(t.rows()).noneMatch(r -> r.status() == Row.Status.FAILED);
        Row spawn = t.rows().stream().filter(r -> r.name().equals("process_start_join_ms.spawn")).findFirst().orElseThrow();
        assertThat(spawn.java()).isNotNull();
        assertThat(spawn.java().n()).isEqualTo(2);
        Row floor = t.rows().stream().filter(r -> r.name().equals("shm_floor_cas_roundtrip_ns.spawn")).findFirst().orElseThrow();
        assertThat(floor.java().median()).isPositive();
        assertThat(text.toString()).contains("process_start_join_ms", "Java median (min–max)");
        for (String f : List.of("bench-results.json", "bench-table.tsv", "bench-table.md", "java-results.tsv")) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        if (python) {
            assertThat(spawn.python()).isNotNull();
            assertThat(spawn.ratio()).isPositive();
            assertThat(out.resolve("python-results.tsv")).isNotEmptyFile();
            assertThat(out.resolve("ratios.png")).isNotEmptyFile();
            assertThat(Files.readString(out.resolve("ratios.svg"))).contains("<svg");
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
            default -> key;
        };
    }
}
