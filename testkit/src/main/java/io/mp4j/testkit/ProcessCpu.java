package io.mp4j.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time (user + system) used so far by this JVM and the processes it started: its own and its reaped
 * children's from {@code /proc/self/stat}, plus the same for each live descendant. A descendant that ends after its
 * parent (reparented, never reaped by this tree) is not counted once it is gone; 0 where there is no {@code /proc}.
 */
public final class ProcessCpu {
    private ProcessCpu() {}

    /** Clock ticks per second of {@code /proc/PID/stat}'s times (USER_HZ, 100 on Linux's usual builds). */
    private static final double TICKS = 100.0;

    /**
     * Seconds of CPU of this JVM's tree so far.
     *
     * @return user + system seconds, own and children's, of this JVM and its live descendants
     */
    public static double ofThisTree() {
        long ticks = ticks(ProcessHandle.current().pid());
        for (ProcessHandle d : ProcessHandle.current().descendants().toList()) ticks += ticks(d.pid());
        return ticks / TICKS;
    }

    /** utime + stime + cutime + cstime of {@code pid}, 0 when it is gone or unreadable. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its end
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
