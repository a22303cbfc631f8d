package io.mp4j.bench;

import io.mp4j.bench.figures.Figures;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of {@link BenchMain}:
 * {@code [--only FIGURES] [--methods METHODS] [--scale X] [--no-python] [--workers 1,2,4,8,16] [--jmh] [--out DIR]
 * [--write-docs [FILE]]}.
 *
 * @param figures  figure keys ({@code process_start}, ..., {@code scaling}); default: all but scaling
 * @param methods  start methods (Python names); default fork, spawn, forkserver, thread
 * @param scale    count multiplier (0.05 for a smoke run: see {@link #sharesJvms})
 * @param python   whether to run the CPython suite beside
 * @param workers  pool sizes of the scaling figure
 * @param jmh      whether to run the JMH micro figures too
 * @param out      where the JSON, TSV, Markdown and charts go
 * @param writeDocs whether to write the table into the documentation ({@link DocsPage})
 * @param docsPage the page to write, or null for {@code docs/performance.md} found from the working directory
 */
public record BenchOptions(List<String> figures, List<String> methods, double scale, boolean python,
                           List<Integer> workers, boolean jmh, Path out, boolean writeDocs, Path docsPage) {
    public static final List<String> ALL_METHODS = List.of("fork", "spawn", "forkserver", "thread");
    public static final List<String> PYTHON_METHODS = List.of("fork", "spawn", "forkserver");

    /** At this scale or below a run is a smoke run ({@link #sharesJvms}). */
    public static final double SMOKE_SCALE = 0.1;

    static final String USAGE = "usage: bench [--only FIGURES] [--methods METHODS] [--scale X] [--no-python]"
            + " [--workers 1,2,4,8,16] [--jmh] [--out DIR] [--write-docs [FILE]]\n  FIGURES: " + String.join(",", Figures.keys())
            + " (default: all but scaling)\n  METHODS: " + String.join(",", ALL_METHODS)
            + "\n  --scale " + SMOKE_SCALE + " or less: a smoke run (the figures of a start method share one JVM)";

    /**
     * Whether this is a smoke run ({@code scale <= 0.1}), which checks that every figure works end to end and whose
     * numbers are not for reading: the figures of one start method run one after the other in one JVM (a JVM start
     * and its warm JVMs per figure would cost more than the figures), with one warm JVM instead of two, without the
     * queues' JIT warm-up in children, and with one repetition ({@link Params#smoke}). Otherwise each figure gets a fresh JVM, so that no figure measures
     * what an earlier one left (a heap, compiled code, children).
     */
    public boolean sharesJvms() { return scale <= SMOKE_SCALE; }

    public static BenchOptions parse(String... args) {
        List<String> figures = Figures.defaultKeys();
        List<String> methods = ALL_METHODS;
        double scale = 1.0;
        boolean python = true, jmh = false, writeDocs = false;
        Path docsPage = null;
        List<Integer> workers = List.of(1, 2);
        Path out = Path.of("bench-results");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--only" -> {
                    figures = list(value(args, ++i, a));
                    if (figures.equals(List.of("all"))) figures = Figures.keys();
                    for (String f : figures) Figures.get(f);                 // rejects unknown keys
                }
                case "--methods" -> {
                    methods = list(value(args, ++i, a));
                    for (String m : methods) {
                        if (!ALL_METHODS.contains(m)) {
                            throw new IllegalArgumentException("unknown start method: " + m + " (expected one of " + String.join(",", ALL_METHODS) + ")");
                        }
                    }
                }
                case "--scale" -> {
                    String v = value(args, ++i, a);
                    try {
                        scale = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("scale must be a number: scale=" + v);
                    }
                    if (!(scale > 0)) throw new IllegalArgumentException("scale must be positive: scale=" + v);
                }
                case "--no-python" -> python = false;
                case "--jmh" -> jmh = true;
                case "--workers" -> {
                    String v = value(args, ++i, a);
                    try {
                        workers = list(v).stream().map(Integer::parseInt).toList();
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("workers must be integers: workers=" + v);
                    }
                    for (int w : workers) if (w < 1) throw new IllegalArgumentException("workers must be positive: workers=" + v);
                }
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--write-docs" -> {
                    writeDocs = true;
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) docsPage = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + a + "\n" + USAGE);
            }
        }
        List<String> ordered = new ArrayList<>(Figures.keys());
        ordered.retainAll(figures);                                  // the table's order, whatever the order asked
        figures = ordered;
        if (figures.isEmpty()) throw new IllegalArgumentException("--only needs at least one figure");
        if (methods.isEmpty()) throw new IllegalArgumentException("--methods needs at least one start method");
        return new BenchOptions(List.copyOf(figures), List.copyOf(methods), scale, python, workers, jmh, out, writeDocs, docsPage);
    }

    /** The start methods the CPython suite runs (thread has no counterpart there). */
    public List<String> pythonMethods() {
        return methods.stream().filter(PYTHON_METHODS::contains).toList();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        return args[i];
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : Arrays.asList(v.split(","))) if (!s.isBlank()) out.add(s.trim());
        return out;
    }
}
