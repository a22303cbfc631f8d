package io.mp4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes a run into the documentation ({@code bin/mp4j bench --write-docs [FILE]}), so that the published table is
 * the one the benchmark printed, never one pasted by hand.
 *
 * <p>The page (by default {@code docs/performance.md}) holds a block between {@code <!-- bench:latest:begin -->}
 * and {@code <!-- bench:latest:end -->}: the run's date, commit and machine, the chart and the whole table replace
 * what is between the markers, and nothing else of the page changes. The charts are copied into the {@code bench/}
 * folder beside the page. When the repository's {@code README.md} (the page's folder's parent) has a
 * {@code bench:summary} block, it gets a small table: one line per figure with a ratio target, its ratio in each
 * start method. Markers are checked before the run ({@link #check}), so that a long run never ends on a page it
 * cannot write.
 */
public final class DocsPage {
    /** The block of the page that gets the whole table. */
    static final String LATEST = "bench:latest";
    /** The block of the README that gets the summary. */
    static final String SUMMARY = "bench:summary";
    /** Start methods that have a CPython counterpart, in the summary's column order. */
    static final List<String> SUMMARY_METHODS = List.of("fork", "spawn", "forkserver");

    private final Path page;

    private DocsPage(Path page) { this.page = page; }

    /**
     * The page to write: {@code file} when given, else {@code docs/performance.md} in the working directory or the
     * nearest of its parents that has one. Checks that the page exists and holds one well-formed
     * {@value #LATEST} block, and that a README beside {@code docs/} holds at most one {@value #SUMMARY} block.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static DocsPage check(Path file) {
        Path p = file != null ? file : locate(Path.of("").toAbsolutePath());
        if (p == null) {
            throw new IllegalArgumentException("--write-docs: no docs/performance.md in " + Path.of("").toAbsolutePath()
                    + " or its parents; give the page: --write-docs FILE");
        }
        String text = read(p);
        span(text, LATEST, p);
        Path readme = readme(p);
        if (readme != null && hasBlock(read(readme), SUMMARY)) span(read(readme), SUMMARY, readme);
        return new DocsPage(p);
    }

    /** The page this writes. */
    Path page() { return page; }

    /** {@code docs/performance.md} under {@code dir} or the nearest of its parents, or null. */
    static Path locate(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            Path p = d.resolve("docs").resolve("performance.md");
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /**
     * Writes the run: the page's {@value #LATEST} block, the charts beside it, the README's {@value #SUMMARY} block.
     *
     * @return the files written
     */
    List<Path> write(ResultTable table, Map<String, Object> meta, List<Path> charts) throws IOException {
        List<Path> written = new ArrayList<>();
        Path dir = page.toAbsolutePath().getParent();
        Path chartDir = dir.resolve("bench");
        List<String> chartNames = new ArrayList<>();
        for (Path c : charts) {
            Files.createDirectories(chartDir);
            Path to = chartDir.resolve(c.getFileName().toString());
            Files.copy(c, to, StandardCopyOption.REPLACE_EXISTING);
            written.add(to);
            chartNames.add(c.getFileName().toString());
        }
        String commit = commit(dir);
        writeAtomically(page, replaceBlock(read(page), LATEST, latestBlock(table, meta, commit, chartNames), page));
        written.add(page);
        Path readme = readme(page);
        if (readme != null && hasBlock(read(readme), SUMMARY)) {
            String link = dir.getParent().relativize(page.toAbsolutePath()).toString();
            writeAtomically(readme, replaceBlock(read(readme), SUMMARY, summaryBlock(table, meta, commit, link), readme));
            written.add(readme);
        }
        return written;
    }

    // ------------------------------------------------------------------ blocks

    static String begin(String name) { return "<!-- " + name + ":begin -->"; }

    static String end(String name) { return "<!-- " + name + ":end -->"; }

    /**
     * {@code page} with the text between the begin and end markers of block {@code name} replaced by
     * {@code content} (the markers stay, each on its own line); every other character is unchanged.
     *
     * @throws IllegalArgumentException when the markers are missing, repeated or out of order
     */
    static String replaceBlock(String page, String name, String content, Path file) {
        int[] s = span(page, name, file);
        String body = content.endsWith("\n") ? content : content + "\n";
        return page.substring(0, s[0]) + "\n" + body + page.substring(s[1]);
    }

    /** Whether {@code text} has either marker of block {@code name}. */
    static boolean hasBlock(String text, String name) {
        return text.contains(begin(name)) || text.contains(end(name));
    }

    /** The replaceable span: from just after the begin marker to the start of the end marker's line. */
    private static int[] span(String text, String name, Path file) {
        String b = begin(name), e = end(name);
        int bi = text.indexOf(b), ei = text.indexOf(e);
        String where = file == null ? "the page" : file.toString();
        if (bi < 0 || ei < 0) {
            throw new IllegalArgumentException(where + " has no block to write the run into: expected the lines "
                    + b + " and " + e + (bi < 0 ? "" : " (found only the first)") + (ei < 0 || bi >= 0 ? "" : " (found only the second)"));
        }
        if (text.indexOf(b, bi + 1) >= 0 || text.indexOf(e, ei + 1) >= 0) {
            throw new IllegalArgumentException(where + " has more than one " + b + " or " + e + ": expected one of each");
        }
        if (ei < bi) throw new IllegalArgumentException(where + ": " + e + " comes before " + b);
        int from = bi + b.length();
        int nl = text.lastIndexOf('\n', ei);
        int to = nl >= from ? nl + 1 : ei;       // the end marker's line, or the marker itself when on the begin marker's line
        return new int[]{from, to};
    }

    /** The page's block: when, where, at which commit, the charts, the whole table. */
    static String latestBlock(ResultTable table, Map<String, Object> meta, String commit, List<String> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- written by bin/mp4j bench --write-docs: edits inside this block are overwritten -->\n");
        sb.append("Run of ").append(when(meta)).append(", commit `").append(commit).append("`, on ").append(machine(meta))
                .append(". Command `").append(meta.get("command")).append("`, ").append(meta.get("duration_s"))
                .append(" s; load average ").append(load(meta.get("loadavg_before"))).append(" before, ")
                .append(load(meta.get("loadavg_after"))).append(" after. ")
                .append(counts(table)).append("\n\n");
        if (charts.contains("ratios.svg")) {
            sb.append("![Java/CPython ratio of each figure against its target](bench/ratios.svg)\n\n");
        }
        sb.append(table.toMarkdown());
        return sb.toString();
    }

    /** The README's block: one line per figure with a ratio target, its ratio per start method. */
    static String summaryBlock(ResultTable table, Map<String, Object> meta, String commit, String link) {
        Map<String, Map<String, Row>> byKey = new LinkedHashMap<>();
        Map<String, String> targets = new LinkedHashMap<>();
        for (Row r : table.rows()) {
            if (r.target() == null || !r.target().isRatio() || !SUMMARY_METHODS.contains(r.method())) continue;
            byKey.computeIfAbsent(r.key(), k -> new LinkedHashMap<>()).put(r.method(), r);
            targets.merge(r.key(), r.targetText(), (a, b) -> a.equals(b) ? a : a + "; " + b);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- written by bin/mp4j bench --write-docs: edits inside this block are overwritten -->\n");
        sb.append("Java/CPython, ratio of the medians, both measured in one run on one machine: ").append(when(meta))
                .append(", commit `").append(commit).append("`, ").append(machine(meta))
                .append(". Below 1 is better for times, above 1 for rates. The whole table, the floors and the method: [")
                .append(link).append("](").append(link).append(").\n\n");
        sb.append("| figure | ").append(String.join(" | ", SUMMARY_METHODS)).append(" | target |\n");
        sb.append("|---".repeat(SUMMARY_METHODS.size() + 2)).append("|\n");
        for (var e : byKey.entrySet()) {
            sb.append("| `").append(e.getKey()).append("` |");
            for (String m : SUMMARY_METHODS) {
                Row r = e.getValue().get(m);
                sb.append(' ').append(r == null || r.ratio() == null ? "—"
                        : String.format(Locale.ROOT, "%.2f×", r.ratio()) + (r.status() == Row.Status.NOT_MET ? " (not met)" : "")).append(" |");
            }
            sb.append(' ').append(targets.get(e.getKey())).append(" |\n");
        }
        return sb.toString();
    }

    private static String counts(ResultTable t) {
        long met = t.rows().stream().filter(r -> r.status() == Row.Status.MET).count();
        long notMet = t.rows().stream().filter(r -> r.status() == Row.Status.NOT_MET).count();
        long other = t.rows().stream().filter(r -> r.status() == Row.Status.FAILED || r.status() == Row.Status.NOT_BUILT).count();
        return met + " rows met their target, " + notMet + " did not" + (other == 0 ? "" : ", " + other + " failed or not built") + ".";
    }

    private static String when(Map<String, Object> meta) {
        Object at = meta.get("started_at");
        if (at == null) return "an unknown date";
        try {
            return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                    .format(Instant.parse(at.toString()).atOffset(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            return at.toString();
        }
    }

    private static String machine(Map<String, Object> meta) {
        String python = meta.get("python_version") == null ? "no CPython" : "CPython " + meta.get("python_version");
        return meta.get("cores") + " cores (" + meta.get("cpu_model") + "), " + meta.get("os") + ", " + meta.get("jdk") + ", " + python;
    }

    private static String load(Object loadavg) {
        if (loadavg == null) return "?";
        String s = loadavg.toString().trim();
        int sp = s.indexOf(' ');
        return sp < 0 ? s : s.substring(0, sp);
    }

    // ------------------------------------------------------------------ files

    /** The README of the repository whose docs folder holds {@code page}, or null. */
    private static Path readme(Path page) {
        Path docs = page.toAbsolutePath().getParent();
        Path root = docs == null ? null : docs.getParent();
        if (root == null || !docs.getFileName().toString().equals("docs")) return null;
        Path r = root.resolve("README.md");
        return Files.isRegularFile(r) ? r : null;
    }

    /** The commit of the repository holding {@code dir}, with "+ uncommitted changes" when the tree differs. */
    static String commit(Path dir) {
        String head = git(dir, "rev-parse", "--short", "HEAD");
        if (head == null) return "unknown (not a git checkout)";
        String status = git(dir, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isBlank() ? head : head + " + uncommitted changes";
    }

    private static String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--write-docs: cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path p, String text) throws IOException {
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
