package io.mp4j.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocsPageTest {
    private static final String BEGIN = "<!-- bench:latest:begin -->", END = "<!-- bench:latest:end -->";

    private static ResultTable table() {
        List<Double> java = List.of(30.0, 40.0, 50.0);
        return ResultTable.build(List.of(
                        new ResultTable.JavaEntry("spawn", Result.of("process_start_join_ms", "", "ms", "lower", java), null),
                        new ResultTable.JavaEntry("fork", Result.of("pipe_roundtrip_us", "", "us", "lower", List.of(9.0)), null),
                        new ResultTable.JavaEntry("spawn", Result.of("shm_floor_cas_roundtrip_ns", "", "ns", "lower", List.of(300.0)), null)),
                PythonSuite.parse("process_start_join_ms.spawn\t80.0\tms\t70.0\t90.0\t20\npipe_roundtrip_us.fork\t10.0\tus\t9.0\t11.0\t20"), 2);
    }

    private static Map<String, Object> meta() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "bin/mp4j bench --write-docs");
        m.put("started_at", "2026-12-07T09:30:12.345Z");
        m.put("cores", 2);
        m.put("jdk", "Eclipse Adoptium OpenJDK 64-Bit Server VM 25.0.3+9");
        m.put("os", "Linux 6.1.0 amd64");
        m.put("cpu_model", "AMD EPYC");
        m.put("loadavg_before", "0.52 0.40 0.30 1/200 42");
        m.put("loadavg_after", "1.90 1.10 0.60 1/200 43");
        m.put("duration_s", 804.2);
        m.put("python_version", "3.11.7");
        return m;
    }

    @Test
    void shouldReplaceOnlyWhatLiesBetweenTheMarkers() {
        String page = "# Title\n\nintro\n\n" + BEGIN + "\nold table\nold line\n" + END + "\n\nafter\n";
        String out = DocsPage.replaceBlock(page, DocsPage.LATEST, "new table\n", null);
        assertThat(out).isEqualTo("# Title\n\nintro\n\n" + BEGIN + "\nnew table\n" + END + "\n\nafter\n");
    }

    @Test
    void shouldGiveTheSamePageWhenTheSameBlockIsWrittenTwice() {
        String page = "a\n" + BEGIN + "\n" + END + "\nb";
        String once = DocsPage.replaceBlock(page, DocsPage.LATEST, "x\ny", null);
        assertThat(DocsPage.replaceBlock(once, DocsPage.LATEST, "x\ny", null)).isEqualTo(once).isEqualTo("a\n" + BEGIN + "\nx\ny\n" + END + "\nb");
    }

    @Test
    void shouldPutTheBlockOnItsOwnLinesWhenBothMarkersShareOne() {
        String out = DocsPage.replaceBlock("a " + BEGIN + END + " b", DocsPage.LATEST, "x", null);
        assertThat(out).isEqualTo("a " + BEGIN + "\nx\n" + END + " b");
    }

    @Test
    void shouldRefuseAPageWithoutBothMarkersNamingThem() {
        assertThatThrownBy(() -> DocsPage.replaceBlock("no markers", DocsPage.LATEST, "x", Path.of("p.md")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p.md").hasMessageContaining(BEGIN).hasMessageContaining(END);
        assertThatThrownBy(() -> DocsPage.replaceBlock(BEGIN + "\n", DocsPage.LATEST, "x", null))
                .hasMessageContaining("found only the first");
        assertThatThrownBy(() -> DocsPage.replaceBlock(END + "\n" + BEGIN, DocsPage.LATEST, "x", null))
                .hasMessageContaining("comes before");
        assertThatThrownBy(() -> DocsPage.replaceBlock(BEGIN + END + BEGIN + END, DocsPage.LATEST, "x", null))
                .hasMessageContaining("more than one");
    }

    @Test
    void shouldWriteTheDateCommitMachineAndTableIntoTheBlock() {
        String block = DocsPage.latestBlock(table(), meta(), "abc1234", List.of("ratios.png", "ratios.svg"));
        assertThat(block)
                .contains("Run of 2026-12-07 09:30 UTC, commit `abc1234`, on 2 cores (AMD EPYC), Linux 6.1.0 amd64")
                .contains("CPython 3.11.7")
                .contains("load average 0.52 before, 1.90 after")
                .contains("`bin/mp4j bench --write-docs`, 804.2 s")
                .contains("![Java/CPython ratio of each figure against its target](bench/ratios.svg)")
                .contains(table().toMarkdown())
                .doesNotContain(BEGIN).doesNotContain(END);
    }

    @Test
    void shouldSummariseOnlyFiguresWithARatioTargetOneLinePerFigure() {
        String s = DocsPage.summaryBlock(table(), meta(), "abc1234", "docs/performance.md");
        assertThat(s).contains("| figure | fork | spawn | forkserver | target |")
                .contains("| `process_start_join_ms` | — | 0.50× | — | ≤ 0.8× py |")
                .contains("| `pipe_roundtrip_us` | 0.90× (not met) | — | — | ≤ 0.6× py |")
                .contains("[docs/performance.md](docs/performance.md)")
                .doesNotContain("shm_floor");
    }

    @Test
    void shouldWriteThePageTheChartsAndTheReadmeSummaryAndNothingElse(@TempDir Path repo) throws Exception {
        Path docs = Files.createDirectories(repo.resolve("docs"));
        Path page = docs.resolve("performance.md");
        Files.writeString(page, "# Performance\n\n" + BEGIN + "\nold\n" + END + "\n\nend of page\n");
        Path readme = repo.resolve("README.md");
        Files.writeString(readme, "# Readme\n<!-- bench:summary:begin -->\nold summary\n<!-- bench:summary:end -->\ntail\n");
        Path out = Files.createDirectories(repo.resolve("results"));
        Path chart = Files.writeString(out.resolve("ratios.svg"), "<svg/>");

        List<Path> written = DocsPage.check(page).write(table(), meta(), List.of(chart));

        assertThat(written).containsExactlyInAnyOrder(docs.resolve("bench/ratios.svg"), page, readme);
        assertThat(Files.readString(docs.resolve("bench/ratios.svg"))).isEqualTo("<svg/>");
        String p = Files.readString(page);
        assertThat(p).startsWith("# Performance\n\n" + BEGIN + "\n").endsWith(END + "\n\nend of page\n")
                .contains("commit `unknown (not a git checkout)`").contains("| `pipe_roundtrip_us` | fork |").doesNotContain("old");
        String r = Files.readString(readme);
        assertThat(r).startsWith("# Readme\n<!-- bench:summary:begin -->\n").endsWith("<!-- bench:summary:end -->\ntail\n")
                .contains("| `pipe_roundtrip_us` | 0.90× (not met) |").doesNotContain("old summary");
        try (var files = Files.list(docs)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("performance.md", "bench");
        }
    }

    @Test
    void shouldRefuseBeforeTheRunAPageWithoutTheBlock(@TempDir Path dir) throws Exception {
        Path page = Files.writeString(dir.resolve("perf.md"), "# no block here\n");
        assertThatThrownBy(() -> DocsPage.check(page)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(page.toString()).hasMessageContaining(BEGIN);
        assertThatThrownBy(() -> DocsPage.check(dir.resolve("missing.md"))).hasMessageContaining("cannot read");
    }

    @Test
    void shouldFindDocsPerformanceMdFromADirectoryBelowTheRepository(@TempDir Path repo) throws Exception {
        Path page = Files.createDirectories(repo.resolve("docs")).resolve("performance.md");
        Files.writeString(page, BEGIN + "\n" + END + "\n");
        Path below = Files.createDirectories(repo.resolve("bench/target"));
        assertThat(DocsPage.locate(below)).isEqualTo(page);
    }

    @Test
    void shouldFindNoPageOutsideARepositoryWithDocs(@TempDir Path dir) {
        assertThat(DocsPage.locate(dir)).isNull();
    }
}
