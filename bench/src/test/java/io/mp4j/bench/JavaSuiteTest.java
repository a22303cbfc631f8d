package io.mp4j.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs real figure JVMs (thread start method: no further children) for each way a figure can end, each figure in a
 * fresh JVM (scale 1), and several in one JVM as a smoke run does (scale 0.05).
 */
class JavaSuiteTest {
    private static List<ResultTable.JavaEntry> run(Class<?> figure, Duration timeout) throws Exception {
        return run(List.of(figure), 1.0, timeout);
    }

    private static List<ResultTable.JavaEntry> run(List<Class<?>> figures, double scale, Duration timeout) throws Exception {
        BenchOptions o = new BenchOptions(figures.stream().map(Class::getName).toList(), List.of("thread"), scale, false, List.of(1), false, Path.of("unused"), false, null);
        return new JavaSuite(o, new PrintStream(new ByteArrayOutputStream(), true), timeout).run();
    }

    @Test
    void shouldRunTheFiguresOfASmokeRunInOneJvmAndKeepWhatTheyMeasuredWhenItDies() throws Exception {
        var got = run(List.of(TestFigures.Works.class, TestFigures.Throws.class, TestFigures.Halts.class), 0.05, Duration.ofSeconds(60));
        assertThat(got).hasSize(3);
        assertThat(got.get(0).failure()).isNull();
        assertThat(got.get(0).result().samples()).containsExactly(1.0, 3.0);
        assertThat(got.get(1).failure()).contains("figure broke on purpose");
        assertThat(got.get(2).failure()).contains("exited with 3 and no result");
    }

    @Test
    void shouldCollectTheSamplesOfAFigureJvm() throws Exception {
        var got = run(TestFigures.Works.class, Duration.ofSeconds(60));
        assertThat(got).singleElement().satisfies(e -> {
            assertThat(e.failure()).isNull();
            assertThat(e.result().samples()).containsExactly(1.0, 3.0);
            assertThat(e.method()).isEqualTo("thread");
        });
    }

    @Test
    void shouldReportAFigureThatThrowsAsFailedWithItsMessage() throws Exception {
        var got = run(TestFigures.Throws.class, Duration.ofSeconds(60));
        assertThat(got).singleElement().satisfies(e -> assertThat(e.failure()).contains("figure broke on purpose"));
    }

    @Test
    void shouldReportAMissingFeatureAsNotBuilt() throws Exception {
        var got = run(TestFigures.Missing.class, Duration.ofSeconds(60));
        assertThat(got).singleElement().satisfies(e -> {
            assertThat(e.failure()).isNull();
            assertThat(e.result().measured()).isFalse();
            assertThat(e.result().notBuilt()).isEqualTo("not built yet: Teleporter (issue 99)");
        });
    }

    @Test
    void shouldKillAHungFigureJvmAtTheLimit() throws Exception {
        long t0 = System.nanoTime();
        var got = run(TestFigures.Hangs.class, Duration.ofSeconds(3));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        assertThat(got).singleElement().satisfies(e -> assertThat(e.failure()).isEqualTo("timeout after 3s"));
    }

    @Test
    void shouldReportAFigureJvmThatDiesWithoutAResult() throws Exception {
        var got = run(TestFigures.Halts.class, Duration.ofSeconds(60));
        assertThat(got).singleElement().satisfies(e -> assertThat(e.failure()).contains("exited with 3 and no result"));
    }

    @Test
    void shouldTakeAStartMethodForNotBuiltOnlyWhenEveryResultSaysSo() {
        Result a = Result.notBuilt("x", "", "ms", "lower", "not built yet: start method fork is not built yet; use spawn or thread");
        Result b = Result.notBuilt("y", "", "ms", "lower", "not built yet: start method fork is not built yet; use spawn or thread");
        Result pool = Result.notBuilt("y", "", "ms", "lower", "not built yet: Pool (issue 7)");
        Result measured = Result.of("z", "", "ms", "lower", List.of(1.0));
        assertThat(JavaSuite.methodNotBuilt(List.of(a, b), "fork")).isEqualTo("not built yet: start method fork");
        assertThat(JavaSuite.methodNotBuilt(List.of(a, pool), "fork")).isNull();
        assertThat(JavaSuite.methodNotBuilt(List.of(a, measured), "fork")).isNull();
        assertThat(JavaSuite.methodNotBuilt(List.of(a), "forkserver")).isNull();
        assertThat(JavaSuite.methodNotBuilt(List.of(), "fork")).isNull();
    }
}
