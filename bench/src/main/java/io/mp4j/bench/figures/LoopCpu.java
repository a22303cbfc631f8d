package io.mp4j.bench.figures;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * With the system property {@value #PROPERTY} set to {@code true} (children inherit {@code mp4j.*} properties), each
 * party of the queue figures prints to standard error the wall time and the thread CPU time per item of its timed
 * loop: a producer whose CPU per item is well above the floor's producer is the bottleneck of its own figure,
 * whatever the machine's load (docs/journal/2026-12-08-queue-throughput.md). Off by default: nothing is loaded.
 */
final class LoopCpu {
    static final String PROPERTY = "mp4j.bench.loopCpu";
    private static final boolean ON = Boolean.getBoolean(PROPERTY);
    private static ThreadMXBean threads;

    private LoopCpu() {}

    /** Loads the management classes before the start gate, so that the timed loop does not pay for them. */
    static void prepare() {
        if (ON) threads = ManagementFactory.getThreadMXBean();
    }

    /** The calling thread's CPU time now, in nanoseconds; 0 when off. */
    static long now() { return ON ? threads.getCurrentThreadCpuTime() : 0; }

    /** Prints one line for the party {@code who} whose loop of {@code items} began at {@code wall0} and {@code cpu0}. */
    static void print(String who, long wall0, long cpu0, long items) {
        if (!ON || items <= 0) return;
        long wall = System.nanoTime() - wall0, cpu = now() - cpu0;
        // one string, one write: the two parties print at the same moment into one stream
        System.err.print(String.format("loop-cpu %s pid=%d items=%d wall_ns_per_item=%d cpu_ns_per_item=%d%n",
                who, ProcessHandle.current().pid(), items, wall / items, cpu / items));
    }
}
