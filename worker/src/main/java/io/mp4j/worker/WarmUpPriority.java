package io.mp4j.worker;

import io.mp4j.ipc.Libc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lets a standby JVM warm up on spare CPU only: it starts at nice 19 ({@link JvmFlags#atLowPriority}), and
 * once its parent watch runs, every other thread goes under the {@code SCHED_IDLE} policy for the warm-up;
 * all go back to normal when a task arrives. A standby warms up on most of a core, often right when the
 * program that owns it starts its real work (a pool's workers, a CPU-bound process, the next JVM to start): at
 * normal priority it takes a core from that work. Nice 19 alone still did (docs/journal/2026-12-07-figures-from-code-comments.md#starts): the
 * kernel lets a nice-19 thread finish its time slice before a woken thread gets the core, while a
 * {@code SCHED_IDLE} thread gives it up at once.
 *
 * <p>Linux lets a thread lower its priority but raise it again only with {@code CAP_SYS_NICE} or a
 * {@code RLIMIT_NICE} of 20 or more ({@code ulimit -e}), so the priority is lowered only when it can be
 * restored: otherwise the warm-up runs at normal priority, as before. Priorities are per thread on Linux:
 * every thread of the JVM is changed ({@code /proc/self/task}); threads created meanwhile inherit the value
 * of their creator, and are changed back with the others.
 */
public final class WarmUpPriority {
    private static final int PRIO_PROCESS = 0;
    private static final int LOWEST = 19;
    private static final int CAP_SYS_NICE = 23;
    private static final int SCHED_OTHER = 0, SCHED_IDLE = 5;

    private static volatile MethodHandle setpriority;
    private static volatile MethodHandle schedSetscheduler;
    /**
     * {@code struct sched_param} with a priority of 0, the only one {@code SCHED_OTHER} and {@code SCHED_IDLE}
     * take; made by {@link #link}, so that a JVM that never lowers its priority loads nothing of the FFM API.
     */
    private static volatile java.lang.foreign.MemorySegment param;
    private static volatile boolean lowered;
    /** The thread that runs the task once it comes (the main thread), by its Linux thread id; 0: unknown. */
    private static volatile int taskThread;

    private WarmUpPriority() {}

    /**
     * Lowers the priority of every thread but the calling one (the thread that waits for the task, which
     * must not wait for a core when it comes), if it can be restored later; returns whether it did.
     *
     * @return whether it lowered them
     */
    public static boolean lowerOthers() {
        if (!canRestore() || !link()) return false;
        lowered = true;
        setAll(LOWEST);
        set(0, 0); // who = 0: the calling thread only
        return true;
    }

    /**
     * Notes the calling thread as the one that will run the task, so that {@link #restoreTaskThread} can give
     * it back its priority first. Costs a downcall link (costly in a fresh JVM): standbys only.
     */
    public static void noteTaskThread() {
        if (!canRestore()) return;
        MethodHandle gettid = Libc.linkOrNull("gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        if (gettid == null) return;
        try {
            taskThread = (int) gettid.invokeExact();
        } catch (Throwable e) {
            // unknown: restore() brings it back with the others
        }
    }

    /**
     * Gives the task thread (see {@link #noteTaskThread}) its normal priority back: one system call, made before
     * the task is handed over; {@link #restore} then does the rest of the threads (a directory listing and a call
     * per thread, which the task no longer waits for).
     */
    public static void restoreTaskThread() {
        int tid = taskThread;
        if (lowered && tid > 0) set(tid, 0);
    }

    /** Restores normal priority to every thread, if {@link #lowerOthers} lowered it. */
    public static void restore() {
        if (!lowered) return;
        lowered = false;
        setAll(0);
    }

    /** Whether this JVM may raise its threads' priority back to 0 (a capability or the nice limit); read once. */
    static boolean canRestore() { return Restore.ALLOWED; }

    private static final class Restore {
        static final boolean ALLOWED = mayRestore();
    }

    private static boolean mayRestore() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    if ((caps & (1L << CAP_SYS_NICE)) != 0) return true;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max nice priority")) {
                    String[] f = line.substring("Max nice priority".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") || Integer.parseInt(f[0]) >= 20;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: do not lower what might not come back
        }
        return false;
    }

    private static boolean link() {
        if (setpriority == null) {
            setpriority = Libc.linkOrNull("setpriority",
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        }
        if (schedSetscheduler == null) {
            param = java.lang.foreign.Arena.global().allocate(ValueLayout.JAVA_INT);
            schedSetscheduler = Libc.linkOrNull("sched_setscheduler",
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        }
        return setpriority != null;
    }

    private static void setAll(int nice) {
        // twice: a thread created while the first pass ran may have copied the old value from its creator
        for (int pass = 0; pass < 2; pass++) {
            for (int tid : threads()) {
                if (!set(tid, nice)) return;
            }
        }
    }

    /**
     * Sets a thread's nice value and its policy with it: {@code SCHED_IDLE} for the lowest, {@code SCHED_OTHER}
     * otherwise. Raising goes in that order (the nice value first: leaving {@code SCHED_IDLE} is allowed to a
     * thread whose nice value its limit permits). A thread that just ended: ESRCH, fine.
     */
    private static boolean set(int tid, int nice) {
        MethodHandle h = setpriority;
        if (h == null) return false;
        try {
            int ignored = (int) h.invokeExact(PRIO_PROCESS, tid, nice);
            MethodHandle s = schedSetscheduler;
            if (s != null) ignored = (int) s.invokeExact(tid, nice == LOWEST ? SCHED_IDLE : SCHED_OTHER, param);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static List<Integer> threads() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Integer::valueOf).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
