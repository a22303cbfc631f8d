package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.worker.JvmFlags;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What no child JVM can beat on this machine and JDK, the floor beneath the start, join and memory figures
 * (as {@code shm_floor} is beneath the shared-memory ones): a JVM with the library's child flags
 * ({@link JvmFlags#CHILD}) and the JDK's own class-data archive running an empty {@code main}
 * ({@link JvmFloorMain}, class path one jar or directory), started with {@link ProcessBuilder}.
 * <ul>
 *   <li>{@code jvm_floor_start_exit_ms}: from {@code start()} to {@code waitFor()} returning, the floor of
 *       {@code process_start_join_ms} under SPAWN;</li>
 *   <li>{@code jvm_floor_exit_ms}: from the child's last instruction (it prints {@link System#nanoTime()},
 *       then halts) to {@code waitFor()} returning in the parent, the floor of what FORK and FORKSERVER add
 *       after a task (the kernel frees every resident page of a JVM before its parent can reap it);</li>
 *   <li>{@code jvm_floor_idle_rss_mib}: VmRSS of that JVM waiting idle, the floor of {@code idle_worker_rss_mib};</li>
 *   <li>{@code jvm_floor_cpu_ms}: the CPU time (every thread, user and system) of one such JVM from start to
 *       exit, averaged over the repetitions ({@link ChildCpu}; Linux only), the floor of
 *       {@code maxtasksperchild_child_cpu_ms}: on {@code n} cores no pool can replace workers faster than
 *       {@code n × 1000 / jvm_floor_cpu_ms} JVMs a second.</li>
 * </ul>
 * Measured once per run, under SPAWN (it does not depend on the start method); 2 unrecorded warm-ups.
 */
public final class JvmFloorFigure implements Figure {
    @Override public String key() { return "jvm_floor"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return method.equals("spawn"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int reps = p.get("x_jvm_floor_n");
        List<Double> startExit = new ArrayList<>(), exit = new ArrayList<>(), rss = new ArrayList<>();
        boolean cpu = ChildCpu.available();
        double cpu0 = 0;
        for (int r = -2; r < reps; r++) {
            if (r == 0 && cpu) cpu0 = ChildCpu.reapedMillis();
            long t0 = System.nanoTime();
            Process child = command(false).start();
            long lastInstruction = firstLine(child);
            int code = child.waitFor();
            long t1 = System.nanoTime();
            if (code != 0) throw new IllegalStateException("trivial JVM exited with " + code);
            if (r < 0) continue;
            startExit.add((t1 - t0) / 1e6);
            exit.add((t1 - lastInstruction) / 1e6);
        }
        // clock ticks: one mean over every repetition, not one sample each
        List<Double> cpuMs = cpu && reps > 0 ? List.of((ChildCpu.reapedMillis() - cpu0) / reps) : List.of();
        for (int r = 0; r < Math.min(reps, p.get("x_rss_reps")); r++) {
            Process child = command(true).start();
            try {
                firstLine(child);
                Thread.sleep(IdleRssFigure.IDLE_MS);
                rss.add(IdleRssFigure.rssMib(child.pid()));
            } finally {
                child.getOutputStream().close();
                if (!child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
            }
        }
        List<Result> out = new ArrayList<>(List.of(Result.of("jvm_floor_start_exit_ms", "", "ms", "lower", startExit),
                Result.of("jvm_floor_exit_ms", "", "ms", "lower", exit),
                Result.of("jvm_floor_idle_rss_mib", "", "MiB", "lower", rss)));
        if (!cpuMs.isEmpty()) out.add(Result.of("jvm_floor_cpu_ms", "", "ms", "lower", cpuMs));
        return out;
    }

    private static ProcessBuilder command(boolean idle) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaExecutable());
        cmd.addAll(JvmFlags.CHILD);
        cmd.add("-cp");
        cmd.add(classPathOf(JvmFloorMain.class));
        cmd.add(JvmFloorMain.class.getName());
        if (idle) cmd.add("idle");
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    /** The jar or directory {@code c} was loaded from. */
    static String classPathOf(Class<?> c) {
        try {
            return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell where " + c.getName() + " was loaded from: " + e, e);
        }
    }

    /** The child's first line: its {@link System#nanoTime()} when it printed it. */
    private static long firstLine(Process child) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (line == null) throw new IOException("trivial JVM printed nothing (pid " + child.pid() + ")");
        return Long.parseLong(line.trim());
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("jvm_floor_start_exit_ms", "", "ms", "lower", why),
                Result.notBuilt("jvm_floor_exit_ms", "", "ms", "lower", why),
                Result.notBuilt("jvm_floor_idle_rss_mib", "", "MiB", "lower", why));
    }
}
