package io.mp4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mp4j.bench.figures.Figures;
import io.mp4j.bench.figures.ScalingFigure;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The benchmark harness ({@code bin/mp4j bench ARGS}): every figure of PERFORMANCE.md, each (figure, start
 * method) in a fresh JVM, then CPython's suite with the same parameters (a smoke run: the figures of a start method
 * in one JVM, two such JVMs at a time, CPython's suite beside them), joined into one table (printed),
 * written as JSON, TSV and Markdown into {@code --out}, and drawn as charts.
 *
 * <pre>
 * bench [--only FIGURES] [--methods METHODS] [--scale X] [--no-python] [--workers 1,2,4,8,16] [--jmh] [--out DIR]
 *       [--write-docs [FILE]]
 * </pre>
 * With {@code --write-docs}, the table also replaces the marked block of {@code docs/performance.md} (or FILE):
 * see {@link DocsPage}. Exit code 0 when it ran (targets met or not), 2 on a bad argument or a page that has no
 * block to write into (checked before anything runs).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
            if (options.writeDocs()) DocsPage.check(options.docsPage());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        run(options, String.join(" ", args), System.out, System.err);
        System.exit(0);
    }

    /** Runs the whole harness; returns the table (also printed to {@code out}, progress to {@code log}). */
    public static ResultTable run(BenchOptions o, String commandLine, PrintStream out, PrintStream log) throws Exception {
        long t0 = System.nanoTime();
        DocsPage docs = o.writeDocs() ? DocsPage.check(o.docsPage()) : null;   // before anything runs
        Files.createDirectories(o.out());
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("command", ("bin/mp4j bench " + commandLine).trim());
        meta.put("started_at", DateTimeFormatter.ISO_INSTANT.format(Instant.now()));
        meta.put("cores", cores);
        meta.put("jdk", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        meta.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        meta.put("cpu_model", cpuModel());
        meta.put("loadavg_before", loadavg());
        meta.put("scale", o.scale());
        meta.put("methods", o.methods());
        meta.put("figures", o.figures());
        log.println("# bench: " + meta);

        // A smoke run (numbers not for reading) runs CPython's suite beside the Java figures rather than after them.
        FutureTask<PythonRun> pythonRun = new FutureTask<>(() -> python(o, log));
        if (o.sharesJvms()) Thread.ofPlatform().daemon().name("bench-python").start(pythonRun);
        List<ResultTable.JavaEntry> java = new ArrayList<>(new JavaSuite(o, log).run());
        if (o.jmh()) java.addAll(JmhFigures.run(o, log));
        if (!o.sharesJvms()) pythonRun.run();
        PythonRun py;
        try {
            py = pythonRun.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
        Map<String, Stats.Named> python = py.figures();
        String pythonNote = py.note();
        log.println("# python: " + pythonNote);
        meta.put("python", pythonNote);
        meta.putAll(pythonMeta(o.out().resolve("python-results.json"), o.python() && PythonSuite.locate() != null));
        meta.put("loadavg_after", loadavg());
        meta.put("duration_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);

        ResultTable table = ResultTable.build(java, python, cores);
        List<Path> charts = new ArrayList<>();
        try {
            charts.addAll(Charts.ratios(table, o.out()));
            charts.addAll(Charts.scaling(table, ScalingFigure.below(Params.of(o.scale())), o.out()));
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: a runtime without java.desktop (a jlink image carried to another machine)
            log.println("# charts failed: " + e);
        }
        meta.put("charts", charts.stream().map(Path::toString).toList());
        write(o, table, java, python, meta);
        if (docs != null) {
            for (Path p : docs.write(table, meta, charts)) log.println("# docs: wrote " + p);
        }

        out.println();
        out.println(table.toText());
        out.printf("%d rows: %d met, %d NOT met, %d not built yet, %d failed; %.1f s; results in %s%n",
                table.rows().size(), count(table, Row.Status.MET), count(table, Row.Status.NOT_MET),
                count(table, Row.Status.NOT_BUILT), count(table, Row.Status.FAILED), (System.nanoTime() - t0) / 1e9,
                o.out().toAbsolutePath());
        return table;
    }

    /** CPython's figures, and a note saying whether and where its suite ran. */
    private record PythonRun(Map<String, Stats.Named> figures, String note) {}

    /** CPython's figures for {@code o}. */
    private static PythonRun python(BenchOptions o, PrintStream log) throws IOException {
        String note;
        Map<String, Stats.Named> python = new LinkedHashMap<>();
        Path runSh = PythonSuite.locate();
        if (!o.python()) {
            note = "not run (--no-python)";
        } else if (runSh == null) {
            note = "not found: set " + PythonSuite.ENV + " or keep ../shared/bench/python/run.sh beside the repository";
        } else if (!PythonSuite.pythonPresent()) {
            note = "python3 not on the PATH";
        } else if (o.pythonMethods().isEmpty()) {
            note = "no Python start method among --methods";
        } else {
            note = "ran " + runSh;
            PythonSuite py = new PythonSuite(runSh, log);
            List<String> keys = o.figures().stream().filter(k -> Figures.get(k).inPythonSuite()).toList();
            if (!keys.isEmpty()) python.putAll(py.run(keys, o.pythonMethods(), o.scale(), o.out()));
            if (o.figures().contains("first_use")) {
                Params p = Params.of(o.scale());
                if (o.sharesJvms()) p = p.smoke(); // as the Java figure's programs: one run each
                python.putAll(py.firstUse(o.pythonMethods(), p.get("x_first_use_n"), o.out()));
            }
            if (o.figures().contains("scaling")) {
                Params p = Params.of(o.scale());
                for (String m : o.pythonMethods()) {
                    python.putAll(py.scaling(ScalingFigure.below(p), p.get("x_scaling_chunks"), m, o.workers(), o.out()));
                }
            }
        }
        return new PythonRun(python, note);
    }

    private static long count(ResultTable t, Row.Status s) { return t.rows().stream().filter(r -> r.status() == s).count(); }

    private static void write(BenchOptions o, ResultTable table, List<ResultTable.JavaEntry> java,
                              Map<String, Stats.Named> python, Map<String, Object> meta) throws IOException {
        Path dir = o.out();
        StringBuilder javaTsv = new StringBuilder();
        for (var e : java) {
            if (e.result().measured()) javaTsv.append(e.result().stats().tsv(e.result().name(e.method()), e.result().unit())).append('\n');
        }
        Files.writeString(dir.resolve("java-results.tsv"), javaTsv);
        Files.writeString(dir.resolve("bench-table.tsv"), table.toTsv());
        Files.writeString(dir.resolve("bench-table.md"), "Measured " + meta.get("started_at") + " on " + meta.get("cores")
                + " cores (" + meta.get("cpu_model") + "), " + meta.get("jdk") + ", Python " + meta.getOrDefault("python_version", "—")
                + "; `" + meta.get("command") + "`, " + meta.get("duration_s") + " s.\n\n" + table.toMarkdown());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("suite", "multiprocessing4j-bench");
        doc.put("format_version", 1);
        doc.put("meta", meta);
        doc.put("params", Params.of(o.scale()).withWorkers(o.workers()).asMap());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("figure", r.key());
            m.put("method", r.method());
            m.put("unit", r.unit());
            m.put("better", r.better());
            m.put("java", r.java());
            m.put("java_note", r.javaNote());
            m.put("python", r.python());
            m.put("python_method", r.pythonMethod());
            m.put("ratio", r.ratio());
            m.put("target", r.target() == null ? null : r.targetText());
            m.put("status", r.status().name());
            rows.add(m);
        }
        doc.put("rows", rows);
        Map<String, Object> raw = new LinkedHashMap<>();
        for (var e : java) raw.put(e.result().name(e.method()), e.result().samples().size() <= 50 ? e.result().samples() : percentiles(e.result().samples()));
        doc.put("java_samples", raw);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("bench-results.json").toFile(), doc);
    }

    /** As suite.py for per-operation latencies (n > 50): p1, p10, p90, p99 instead of every sample. */
    static Map<String, Double> percentiles(List<Double> samples) {
        List<Double> s = new ArrayList<>(samples);
        java.util.Collections.sort(s);
        Map<String, Double> m = new LinkedHashMap<>();
        for (int q : new int[]{1, 10, 90, 99}) m.put("p" + q, s.get(Math.min(s.size() - 1, (int) (q / 100.0 * s.size()))));
        return m;
    }

    private static Map<String, Object> pythonMeta(Path json, boolean ran) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!ran || !Files.isRegularFile(json)) return m;
        try {
            JsonNode meta = new ObjectMapper().readTree(json.toFile()).path("meta");
            for (String k : List.of("python_version", "python_executable", "interpreter_startup_ms", "duration_s")) {
                if (meta.has(k)) m.put(k.equals("duration_s") ? "python_duration_s" : k, meta.get(k).asText());
            }
        } catch (IOException e) {
            m.put("python_meta_error", e.toString());
        }
        return m;
    }

    static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) return l.substring(l.indexOf(':') + 1).trim();
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    static String utcNow() { return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)); }
}
