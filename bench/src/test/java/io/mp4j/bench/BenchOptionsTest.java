package io.mp4j.bench;

import io.mp4j.bench.figures.Figures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {
    @Test
    void shouldRunEveryFigureButScalingInEveryMethodByDefault() {
        BenchOptions o = BenchOptions.parse();
        assertThat(o.figures()).containsAll(List.of("process_start", "pool_map", "value_lock", "shm_floor", "forkjoin", "idle_rss"))
                .doesNotContain("scaling");
        assertThat(o.methods()).containsExactly("fork", "spawn", "forkserver", "thread");
        assertThat(o.pythonMethods()).containsExactly("fork", "spawn", "forkserver");
        assertThat(o.scale()).isEqualTo(1.0);
        assertThat(o.python()).isTrue();
        assertThat(o.out()).isEqualTo(Path.of("bench-results"));
        assertThat(o.writeDocs()).isFalse();
    }

    @Test
    void shouldWriteTheDefaultPageWhenWriteDocsHasNoFile() {
        BenchOptions o = BenchOptions.parse("--write-docs", "--only", "pipe");
        assertThat(o.writeDocs()).isTrue();
        assertThat(o.docsPage()).isNull();
        assertThat(o.figures()).containsExactly("pipe");
        assertThat(BenchOptions.parse("--only", "pipe", "--write-docs").docsPage()).isNull();
    }

    @Test
    void shouldParseEveryOption() {
        BenchOptions o = BenchOptions.parse("--only", "scaling", "--methods", "spawn,thread", "--scale", "0.05", "--no-python",
                "--workers", "1,2,4,8,16", "--jmh", "--out", "/tmp/x", "--write-docs", "/tmp/page.md");
        assertThat(o).isEqualTo(new BenchOptions(List.of("scaling"), List.of("spawn", "thread"), 0.05, false,
                List.of(1, 2, 4, 8, 16), true, Path.of("/tmp/x"), true, Path.of("/tmp/page.md")));
        assertThat(o.pythonMethods()).containsExactly("spawn");
        assertThat(BenchOptions.parse("--only", "all").figures()).isEqualTo(Figures.keys());
    }

    @Test
    void shouldRejectBadArgumentsNamingTheValue() {
        assertThatThrownBy(() -> BenchOptions.parse("--only", "pipes")).hasMessageContaining("unknown figure: pipes");
        assertThatThrownBy(() -> BenchOptions.parse("--methods", "posix")).hasMessageContaining("unknown start method: posix");
        assertThatThrownBy(() -> BenchOptions.parse("--scale", "-1")).hasMessageContaining("scale=-1");
        assertThatThrownBy(() -> BenchOptions.parse("--scale", "x")).hasMessageContaining("scale=x");
        assertThatThrownBy(() -> BenchOptions.parse("--workers", "1,0")).hasMessageContaining("workers=1,0");
        assertThatThrownBy(() -> BenchOptions.parse("--scale")).hasMessageContaining("--scale needs a value");
        assertThatThrownBy(() -> BenchOptions.parse("--frobnicate")).hasMessageContaining("unknown argument: --frobnicate");
    }
}
