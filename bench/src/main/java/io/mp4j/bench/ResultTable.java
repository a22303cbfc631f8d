package io.mp4j.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Joins Java results with Python's TSV lines on {@code figure[.variant].method}, computes ratios
 * (Java median / Python median), looks up the target and says whether it is met.
 */
public final class ResultTable {
    /** Start methods in the order the table shows them (Python's order, then thread). */
    public static final List<String> METHOD_ORDER = List.of("fork", "spawn", "forkserver", "thread");

    private final List<Row> rows;

    private ResultTable(List<Row> rows) { this.rows = List.copyOf(rows); }

    public List<Row> rows() { return rows; }

    /** A Java result for one method, as the figure JVM reported it. */
    public record JavaEntry(String method, Result result, String failure) {}

    /**
     * Builds the table.
     *
     * @param java       Java results (figure order = the order of this list)
     * @param python     Python TSV lines by name ({@code figure[.variant].method}); may be empty
     * @param cores      the machine's cores (targets that need more are reported as n/a)
     */
    public static ResultTable build(List<JavaEntry> java, Map<String, Stats.Named> python, int cores) {
        Map<String, Row> byName = new LinkedHashMap<>();
        List<String> keyOrder = new ArrayList<>();
        for (JavaEntry e : java) {
            Result r = e.result();
            String key = r.key();
            if (!keyOrder.contains(key)) keyOrder.add(key);
            Target t = Targets.of(key, e.method());
            Stats js = null;
            String note = null;
            Row.Status status;
            if (e.failure() != null) {
                note = "failed: " + e.failure();
                status = Row.Status.FAILED;
            } else if (!r.measured()) {
                note = r.notBuilt();
                status = Row.Status.NOT_BUILT;
            } else {
                js = r.stats();
                status = null;
            }
            String pyMethod = t != null && t.pythonMethod() != null ? t.pythonMethod() : e.method();
            Stats.Named py = python.get(key + "." + pyMethod);
            Stats ps = py == null ? null : py.stats();
            Double ratio = js != null && ps != null && ps.median() != 0 ? js.median() / ps.median() : null;
            if (status == null) status = evaluate(t, js, ratio, cores);
            byName.put(key + "." + e.method(), new Row(key, e.method(), r.unit(), r.better(), js, note, ps,
                    ps == null ? null : pyMethod, ratio, t, status));
        }
        // Python figures the Java side did not run: shown, never dropped.
        for (Stats.Named py : python.values()) {
            int dot = py.name().lastIndexOf('.');
            if (dot < 0) continue;
            String key = py.name().substring(0, dot);
            String method = py.name().substring(dot + 1);
            if (byName.containsKey(py.name())) continue;
            if (!keyOrder.contains(key)) keyOrder.add(key);
            Target t = Targets.of(key, method);
            byName.put(py.name(), new Row(key, method, py.unit(), "lower", null, "Java not run", py.stats(), method,
                    null, t, Row.Status.NOT_RUN));
        }
        List<Row> rows = new ArrayList<>(byName.values());
        rows.sort(Comparator.comparingInt((Row r) -> keyOrder.indexOf(r.key()))
                .thenComparingInt(r -> methodIndex(r.method())));
        return new ResultTable(rows);
    }

    private static int methodIndex(String m) {
        int i = METHOD_ORDER.indexOf(m);
        return i < 0 ? METHOD_ORDER.size() : i;
    }

    /** Whether a measured Java figure meets its target. */
    static Row.Status evaluate(Target t, Stats java, Double ratio, int cores) {
        if (t == null) return Row.Status.NO_TARGET;
        if (cores < t.minCores()) return Row.Status.NEEDS_CORES;
        if (t.kind() == Target.Kind.EXACT) {
            return java.min() == t.value() && java.max() == t.value() ? Row.Status.MET : Row.Status.NOT_MET;
        }
        if (t.isRatio()) {
            if (ratio == null) return Row.Status.NO_PYTHON;
            return t.metBy(ratio) ? Row.Status.MET : Row.Status.NOT_MET;
        }
        return t.metBy(java.median()) ? Row.Status.MET : Row.Status.NOT_MET;
    }

    static final String[] HEADER = {"figure", "method", "Java median (min–max)", "Python median (min–max)", "ratio", "target", "met"};

    private static String[] cells(Row r) {
        String java = r.java() != null ? r.java().display() + " " + r.unit()
                : r.javaNote() == null ? "—" : shorten(r.javaNote().replaceFirst("^not built yet: ", "not built: "), 72);
        String py = r.python() == null ? "—" : r.python().display()
                + (r.pythonMethod() != null && !r.pythonMethod().equals(r.method()) ? " [" + r.pythonMethod() + "]" : "");
        String ratio = r.ratio() == null ? "—" : String.format(Locale.ROOT, "%.2f×", r.ratio());
        return new String[]{r.key(), r.method(), java, py, ratio, r.targetText(), r.status().text()};
    }

    /** The first {@code max} characters of a note (the JSON and TSV keep it whole). */
    static String shorten(String s, int max) {
        s = s.replace('\n', ' ');
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** The table as aligned plain text, for the console. */
    public String toText() {
        List<String[]> lines = new ArrayList<>();
        lines.add(HEADER);
        for (Row r : rows) lines.add(cells(r));
        int[] w = new int[HEADER.length];
        for (String[] l : lines) for (int i = 0; i < l.length; i++) w[i] = Math.max(w[i], l[i].length());
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < lines.size(); j++) {
            String[] l = lines.get(j);
            for (int i = 0; i < l.length; i++) {
                sb.append(l[i]);
                if (i < l.length - 1) sb.append(" ".repeat(w[i] - l[i].length() + 2));
            }
            sb.append('\n');
            if (j == 0) {
                for (int i = 0; i < w.length; i++) sb.append("-".repeat(w[i])).append(i < w.length - 1 ? "  " : "");
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The table as Markdown, for the README. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
        sb.append("|---".repeat(HEADER.length)).append("|\n");
        for (Row r : rows) {
            String[] c = cells(r);
            c[0] = "`" + c[0] + "`";
            sb.append("| ").append(String.join(" | ", c).replace("\n", " ")).append(" |\n");
        }
        return sb.toString();
    }

    /** The table as TSV, one row per line, machine-readable numbers. */
    public String toTsv() {
        StringBuilder sb = new StringBuilder("name\tunit\tjava_median\tjava_min\tjava_max\tjava_n\tpython_method\tpython_median"
                + "\tpython_min\tpython_max\tpython_n\tratio\ttarget\tstatus\tnote\n");
        for (Row r : rows) {
            Stats j = r.java(), p = r.python();
            sb.append(String.join("\t", r.name(), r.unit(),
                    j == null ? "" : Stats.fmt(j.median()), j == null ? "" : Stats.fmt(j.min()),
                    j == null ? "" : Stats.fmt(j.max()), j == null ? "" : Integer.toString(j.n()),
                    p == null ? "" : r.pythonMethod(), p == null ? "" : Stats.fmt(p.median()),
                    p == null ? "" : Stats.fmt(p.min()), p == null ? "" : Stats.fmt(p.max()),
                    p == null ? "" : Integer.toString(p.n()),
                    r.ratio() == null ? "" : String.format(Locale.ROOT, "%.4f", r.ratio()),
                    r.target() == null ? "" : r.targetText(), r.status().name(),
                    r.javaNote() == null ? "" : r.javaNote().replace('\t', ' ').replace('\n', ' ')));
            sb.append('\n');
        }
        return sb.toString();
    }
}
