package io.mp4j.bench.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * CPU time (user and system) of this JVM's child processes that have ended and been reaped, from Linux's
 * {@code /proc/self/stat} ({@code cutime + cstime}): what the worker JVMs a figure started and ended cost the
 * machine, whichever of their threads spent it (compiler, GC, the main thread). Clock-tick resolution
 * (10 ms at the usual 100 Hz): read it over many children.
 */
final class ChildCpu {
    private static volatile long ticksPerSecond;

    private ChildCpu() {}

    /** Whether this system reports it. */
    static boolean available() { return ProcSelfStat.available(); }

    /** Milliseconds of CPU of the reaped children so far. */
    static double reapedMillis() throws IOException {
        String[] f = ProcSelfStat.fields(); // cutime is field 16 and cstime 17 of proc(5)
        long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks * 1000.0 / ticksPerSecond();
    }

    private static long ticksPerSecond() {
        long t = ticksPerSecond;
        if (t > 0) return t;
        t = 100;                                                     // USER_HZ on every mainstream Linux
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) t = Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            // keep USER_HZ
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ticksPerSecond = t;
    }
}
