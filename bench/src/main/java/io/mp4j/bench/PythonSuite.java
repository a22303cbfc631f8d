package io.mp4j.bench;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPython reference, {@code ../shared/bench/python/run.sh} (or {@code $MP4J_PYTHON_BENCH}), run through
 * Commons Exec with a watchdog; its TSV lines (stdout) are parsed, its progress (stderr) passed on.
 */
final class PythonSuite {
    /** The environment variable naming run.sh (or its directory). */
    static final String ENV = "MP4J_PYTHON_BENCH";

    private final Path runSh;
    private final PrintStream log;
    private final Duration limit;

    /** {@code limit}: the watchdog's limit for one invocation (run.sh or scaling.py). */
    PythonSuite(Path runSh, PrintStream log, Duration limit) {
        this.runSh = runSh;
        this.log = log;
        this.limit = limit;
    }

    PythonSuite(Path runSh, PrintStream log) { this(runSh, log, Duration.ofMinutes(30)); }

    /** run.sh from {@code $MP4J_PYTHON_BENCH}, else {@code ../shared/bench/python/run.sh} from the working directory or one of its parents. */
    static Path locate() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (Files.isDirectory(p)) p = p.resolve("run.sh");
            return Files.isRegularFile(p) ? p.toAbsolutePath() : null;
        }
        List<Path> starts = new java.util.ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        try {   // the repository this class was built in (bench/target/classes or the bench jar)
            starts.add(Path.of(PythonSuite.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception ignored) {
            // no code source: the working directory alone
        }
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                Path p = d.resolve("../shared/bench/python/run.sh").normalize();
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    /** Whether {@code python3} is on the PATH. */
    static boolean pythonPresent() {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(d, "python3"))) return true;
        return false;
    }

    /** The suite's figures (TSV lines by name) for {@code keys} and {@code methods}, writing its JSON/TSV into {@code out}. */
    Map<String, Stats.Named> run(List<String> keys, List<String> methods, double scale, Path out) throws IOException {
        CommandLine cmd = new CommandLine(runSh.toFile());
        cmd.addArgument("--only", false).addArgument(String.join(",", keys), false);
        cmd.addArgument("--methods", false).addArgument(String.join(",", methods), false);
        cmd.addArgument("--scale", false).addArgument(Double.toString(scale), false);
        cmd.addArgument("--json", false).addArgument(out.resolve("python-results.json").toAbsolutePath().toString(), false);
        cmd.addArgument("--tsv", false).addArgument(out.resolve("python-results.tsv").toAbsolutePath().toString(), false);
        // run.sh kills a hung figure itself (after 120 s); the watchdog here only catches run.sh hanging.
        String stdout = exec(cmd, out.toFile());
        return parse(stdout);
    }

    /**
     * {@code scaling.py N CHUNKS METHOD n1,n2,...}, beside the Java scaling figure; its lines become
     * {@code scaling_s.sequential.M}, {@code scaling_s.poolN.M} and {@code scaling_speedup.poolN.M} (n = 1, best of 3).
     */
    Map<String, Stats.Named> scaling(long below, int chunks, String method, List<Integer> workers, Path out) throws IOException {
        Path script = runSh.resolveSibling("scaling.py");
        CommandLine cmd = new CommandLine("python3");
        cmd.addArgument(script.toString(), false);
        cmd.addArgument(Long.toString(below), false).addArgument(Integer.toString(chunks), false);
        cmd.addArgument(method, false);
        cmd.addArgument(String.join(",", workers.stream().map(String::valueOf).toList()), false);
        String stdout = exec(cmd, out.toFile());
        return parseScaling(stdout, method);
    }

    /**
     * {@code python3 -S first_use.py --all --reps N --methods M,...} (beside run.sh): CPython's whole small programs,
     * each timed from outside as a process; its lines are {@code first_use_ms.NAME.METHOD}, as the Java figure's.
     */
    Map<String, Stats.Named> firstUse(List<String> methods, int reps, Path out) throws IOException {
        Path script = runSh.resolveSibling("first_use.py");
        CommandLine cmd = new CommandLine("python3");
        cmd.addArgument("-S", false).addArgument(script.toString(), false).addArgument("--all", false);
        cmd.addArgument("--reps", false).addArgument(Integer.toString(reps), false);
        cmd.addArgument("--methods", false).addArgument(String.join(",", methods), false);
        return parse(exec(cmd, out.toFile()));
    }

    static Map<String, Stats.Named> parseScaling(String stdout, String method) {
        Map<String, Stats.Named> m = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\t");
            if (f.length < 4) continue;
            double t;
            try {
                t = Double.parseDouble(f[1]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (f[0].equals("sequential")) {
                put(m, "scaling_s.sequential." + method, "s", t);
            } else if (f[0].startsWith("pool")) {
                String pool = f[0].substring(0, f[0].indexOf('.') < 0 ? f[0].length() : f[0].indexOf('.'));
                put(m, "scaling_s." + pool + "." + method, "s", t);
                for (String x : f) {
                    if (x.startsWith("speedup=")) put(m, "scaling_speedup." + pool + "." + method, "x", Double.parseDouble(x.substring(8)));
                }
            }
        }
        return m;
    }

    private static void put(Map<String, Stats.Named> m, String name, String unit, double v) {
        m.put(name, new Stats.Named(name, unit, new Stats(v, v, v, 1)));
    }

    static Map<String, Stats.Named> parse(String tsv) {
        Map<String, Stats.Named> m = new LinkedHashMap<>();
        for (String line : tsv.split("\n")) {
            Stats.Named n = Stats.parseTsv(line);
            if (n != null) m.put(n.name(), n);
        }
        return m;
    }

    private String exec(CommandLine cmd, File dir) throws IOException {
        // stdout (the TSV lines) is kept, not echoed: the table shows it; stderr (progress) goes to the log
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(limit).get();
        DefaultExecutor exec = DefaultExecutor.builder().setWorkingDirectory(dir).get();
        exec.setWatchdog(watchdog);
        exec.setStreamHandler(new PumpStreamHandler(captured, log));
        exec.setExitValues(null);                 // run.sh exits 1 when a figure failed: keep the others
        try {
            int rc = exec.execute(cmd);
            if (rc != 0) log.println("# python: exit code " + rc + " (some figures failed; see above)");
        } catch (ExecuteException e) {
            log.println("# python: " + e.getMessage());
        }
        if (watchdog.killedProcess()) log.println("# python: killed by the watchdog after " + limit.toSeconds() + " s");
        return captured.toString(StandardCharsets.UTF_8);
    }
}
