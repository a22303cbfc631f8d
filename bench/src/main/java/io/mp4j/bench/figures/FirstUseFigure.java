package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.bench.Stats;
import io.mp4j.worker.JvmFlags;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code first_use_ms}: what a user waits for when a small program uses a feature once. Each of
 * {@link FirstUseMain}'s programs ({@code process}, {@code pipe}, {@code queue}, {@code value_lock}, {@code barrier},
 * {@code pool}) runs as a whole JVM of its own ({@code java <required options> -cp <this class path> FirstUseMain NAME
 * METHOD}), timed from outside, from {@code ProcessBuilder.start()} to {@code waitFor()} returning, beside CPython's
 * same programs ({@code ../shared/bench/python/first_use.py}, run by the harness, see {@code PythonSuite#firstUse}).
 * <ul>
 *   <li>{@code first_use_ms.NAME}: the whole program's time;</li>
 *   <li>{@code first_use_cpu_ms.NAME} (Java only): the CPU time (user and system, every thread) of the program's JVM
 *       and of every child it waited for (Linux only; {@link ChildCpu}): the figure to read on a busy machine;</li>
 *   <li>{@code first_use_ms.jvm_floor} (Java only): the same command running an empty {@code main}
 *       ({@link JvmFloorMain}): what no Java program can beat;</li>
 *   <li>{@code first_use_vs_process.NAME}: the program's median over the {@code process} program's, in the same start
 *       method (the target: using a queue, pipe, value or barrier once costs little more than starting the child).</li>
 * </ul>
 * {@code x_first_use_n} samples per program after {@code x_first_use_warmup} unrecorded runs (one: it pays for the page
 * cache and, after a build, lets the children's ahead-of-time cache be found; none in a smoke run).
 */
public final class FirstUseFigure implements Figure {
    /** How long one program may run before it is killed and the figure fails. */
    static final long PROGRAM_LIMIT_S = 120;

    @Override public String key() { return "first_use"; }

    /** Not in run.sh's suite: the harness runs {@code first_use.py} itself (its own command line). */
    @Override public boolean inPythonSuite() { return false; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int reps = p.get("x_first_use_n");
        int warmup = p.get("x_first_use_warmup");
        List<Result> out = new ArrayList<>();
        List<Double> floor = time(floorCommand(), warmup, reps, null);
        out.add(Result.of("first_use_ms", "jvm_floor", "ms", "lower", floor));
        Double processMedian = null;
        for (String prog : FirstUseMain.PROGRAMS) {
            List<Double> cpu = new ArrayList<>();
            List<Double> wall = time(programCommand(prog, method), warmup, reps, ChildCpu.available() ? cpu : null);
            out.add(Result.of("first_use_ms", prog, "ms", "lower", wall));
            if (!cpu.isEmpty()) out.add(Result.of("first_use_cpu_ms", prog, "ms", "lower", cpu));
            double median = Stats.of(wall).median();
            if (prog.equals("process")) processMedian = median;
            else if (processMedian != null) out.add(vsProcess(prog, median, processMedian));
        }
        return out;
    }

    /** {@code first_use_vs_process.NAME}: one sample, the ratio of the two medians. */
    static Result vsProcess(String prog, double median, double processMedian) {
        return Result.of("first_use_vs_process", prog, "x", "lower", List.of(median / processMedian));
    }

    /** {@code java <required options> -Xshare:auto -cp <this class path> FirstUseMain NAME METHOD}. */
    static List<String> programCommand(String prog, String method) {
        List<String> cmd = base();
        cmd.add(FirstUseMain.class.getName());
        cmd.add(prog);
        cmd.add(method);
        return cmd;
    }

    /** The same JVM running an empty main. */
    static List<String> floorCommand() {
        List<String> cmd = base();
        cmd.add(JvmFloorMain.class.getName());
        return cmd;
    }

    private static List<String> base() {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaExecutable());
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    /** Runs {@code cmd} {@code warmup} times unrecorded, then {@code reps} times: wall milliseconds each, CPU into {@code cpu} when given. */
    static List<Double> time(List<String> cmd, int warmup, int reps, List<Double> cpu) throws Exception {
        List<Double> wall = new ArrayList<>();
        for (int r = -warmup; r < reps; r++) {
            double cpu0 = cpu != null ? ChildCpu.reapedMillis() : 0;
            long t0 = System.nanoTime();
            Process proc = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!proc.waitFor(PROGRAM_LIMIT_S, TimeUnit.SECONDS)) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly().waitFor();
                throw new IllegalStateException("did not end within " + PROGRAM_LIMIT_S + " s: " + String.join(" ", cmd.subList(cmd.size() - 3, cmd.size())));
            }
            long t1 = System.nanoTime();
            if (proc.exitValue() != 0) {
                throw new IllegalStateException("exited with " + proc.exitValue() + ": " + String.join(" ", cmd.subList(cmd.size() - 3, cmd.size())));
            }
            if (r < 0) continue;
            wall.add((t1 - t0) / 1e6);
            if (cpu != null) cpu.add(ChildCpu.reapedMillis() - cpu0);
        }
        return wall;
    }

    @Override
    public List<Result> notBuilt(String why) {
        List<Result> out = new ArrayList<>(List.of(Result.notBuilt("first_use_ms", "jvm_floor", "ms", "lower", why)));
        for (String prog : FirstUseMain.PROGRAMS) out.add(Result.notBuilt("first_use_ms", prog, "ms", "lower", why));
        return out;
    }
}
