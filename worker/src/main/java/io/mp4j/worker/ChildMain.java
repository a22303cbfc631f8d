package io.mp4j.worker;

import io.mp4j.worker.pool.WorkerLoop;
import io.mp4j.worker.warmup.Stages;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The main class of every child JVM (SPAWN, FORK standby, FORKSERVER standby).
 *
 * <p>Protocol, on standard input: {@code int length}, then a {@link Launch} of that many bytes; the
 * parent then keeps the pipe open and silent for the child's life ({@link ParentWatch}). Once the target has
 * ended, the JVM waits for the non-daemon threads it started, then exits. Exit status:
 * 0 when the target returns, 1 after an uncaught exception (printed to stderr as {@code Process <name>:}
 * and the stack trace, as Python does), the code given to the library's {@code exit(code)}, and
 * {@link ParentWatch#PARENT_DIED_EXIT} when the parent disappears.
 *
 * <p>With {@code --warm}, the JVM first runs its own read/decode/invoke path on a dummy launch, so
 * that the first real task does not pay for class loading and interpretation.
 */
public final class ChildMain {
    private ChildMain() {}

    /**
     * The child's main: reads its launch from standard input, runs it, exits with Python's exit code.
     *
     * @param argv {@code --warm}, {@code --train}, {@code --train-warm}, a ready file's and an open-to argument, as its launcher gives them
     */
    public static void main(String[] argv) {
        io.mp4j.ipc.ChildFlag.set();
        // Jackson modules come with the launch: no look through every jar of the class path for them here
        io.mp4j.ipc.codec.Codec.takeModulesFromParent();
        for (String a : argv) {
            // a training's warm-up files go to its working directory, which its shell removes however it ends
            if (a.startsWith(SCRATCH_ARG)) io.mp4j.ipc.sync.Warmup.useScratchRoot(java.nio.file.Path.of(a.substring(SCRATCH_ARG.length())));
        }
        for (String a : argv) {
            if (a.equals("--train")) {
                // an ahead-of-time cache training run (see AotCache): the lean cache of SPAWN children
                Stages.trainLean(ChildMain::trainOwnPath);
                System.exit(0);
            }
            if (a.equals("--train-warm")) {
                // the training run of the standby JVMs' cache: their whole warm-up
                Stages.trainStandby(ChildMain::openClassPathToApplication);
                System.exit(0);
            }
        }
        boolean warm = false;
        String preload = null;
        ReadyFile readyFile = null;
        for (String a : argv) {
            if (a.equals("--warm")) warm = true;
            else if (a.startsWith("--preload=")) preload = a.substring("--preload=".length());
            else if (a.startsWith(OPEN_TO_ARG)) openTo = a.substring(OPEN_TO_ARG.length());
            else if (a.startsWith(ReadyFile.ARG)) readyFile = new ReadyFile(java.nio.file.Path.of(a.substring(ReadyFile.ARG.length())));
        }
        // a standby's warm-up files go to its parent's private directory (where its ready file is), removed with it
        if (warm && readyFile != null && readyFile.path().getParent() != null) io.mp4j.ipc.sync.Warmup.useScratchRoot(readyFile.path().getParent());
        if (warm) WarmUpPriority.noteTaskThread();
        ParentWatch.start(warm);
        if (warm || preload != null) startWarmUp(warm, preload, readyFile);
        Launch launch;
        try {
            byte[] frame = ParentWatch.awaitLaunch();
            synchronized (READY_LOCK) {
                launched = true;
                if (readyFile != null) readyFile.forget();
            }
            launch = Launch.read(new DataInputStream(new ByteArrayInputStream(frame)), ChildMain.class.getClassLoader());
        } catch (Throwable e) {
            System.err.println("mp4j child: cannot read the launch message: " + e);
            e.printStackTrace();
            System.err.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        ChildRuntime.init(launch);
        int code = run(launch);
        awaitNonDaemonThreads();
        FastExit.exit(code);
    }

    /**
     * Waits for the non-daemon threads that the target started, as a Python child joins its non-daemon threads
     * before it exits (whatever the target's outcome); those threads may start others, so it looks again until
     * none is left. With none (the usual case) it costs one look at the thread list. A pool's worker never gets
     * here: it ends its JVM itself.
     */
    static void awaitNonDaemonThreads() {
        Thread self = Thread.currentThread();
        boolean joined = true;
        while (joined) {
            joined = false;
            for (Thread t : FastExit.liveThreads()) {
                if (t == self || t.isDaemon() || !t.isAlive()) continue;
                try {
                    t.join();
                } catch (InterruptedException e) {
                    return; // a SIGINT during the wait ends the JVM on its own thread; exit as asked meanwhile
                }
                joined = true;
            }
        }
    }

    /**
     * The system property ({@code true}) that makes a standby skip its warm-up stages: it signals ready as soon as its
     * JVM runs, and its task then takes the path of a task that arrives before the warm-up's first stage. For test
     * suites, which start many standbys and need their hand-over, not their speed; it travels to the children as
     * every {@code mp4j.*} property does.
     */
    public static final String NO_STANDBY_WARMUP_PROPERTY = "mp4j.standby.noWarmup";

    /** The argument naming the directory where a training run makes its warm-up files. */
    public static final String SCRATCH_ARG = "--scratch=";

    /** The class up to whose jar a standby opens the class path during its warm-up (null: none). */
    private static volatile String openTo;

    private static final Object READY_LOCK = new Object();
    private static boolean launched; // guarded by READY_LOCK

    /**
     * Warms up (and preloads) on a thread of its own, then signals readiness: the main thread waits for the
     * task meanwhile and starts it the moment it comes, even in the middle of the warm-up, which then stops
     * at its next stage (a class being initialised by both is initialised once; the other thread waits).
     */
    private static void startWarmUp(boolean warm, String preload, ReadyFile readyFile) {
        Thread.ofPlatform().daemon(true).name("mp4j-warm-up").start(() -> {
            if (warm && !Boolean.getBoolean(NO_STANDBY_WARMUP_PROPERTY)) {
                Stages.standby(ChildMain::openClassPathToApplication, readyFile == null ? null : readyFile.path().getParent());
            }
            if (preload != null) Stages.preload(preload);
            if (readyFile != null) {
                synchronized (READY_LOCK) {
                    if (!launched) readyFile.signal();
                }
            }
        });
    }

    static int run(Launch launch) {
        applySnapshot(launch);
        try {
            // a pool's worker is a kind of launch of its own, called directly (no reflection on a worker's start path)
            if (launch.poolWorker != null) WorkerLoop.run(launch.poolWorker);
            else if (launch.function != null) launch.function.invoke(launch.args);
            else launch.instance.run();
            return 0;
        } catch (ProcessExit e) {
            return e.code();
        } catch (Throwable t) {
            System.out.flush();
            synchronized (System.err) {
                System.err.println("Process " + launch.name + ":");
                t.printStackTrace(System.err);
                System.err.flush();
            }
            return 1;
        }
    }

    /** The FORK snapshot: system properties, then static fields, before the target runs. */
    private static void applySnapshot(Launch launch) {
        for (var e : launch.systemProperties.entrySet()) System.setProperty(e.getKey(), e.getValue());
        List<String> failed = new ArrayList<>();
        for (Launch.StaticValue s : launch.statics) {
            try {
                Class<?> c = Class.forName(s.className(), true, ChildMain.class.getClassLoader());
                Field f = c.getDeclaredField(s.fieldName());
                if (Modifier.isFinal(f.getModifiers()) || !Modifier.isStatic(f.getModifiers())) {
                    failed.add(s.className() + "." + s.fieldName() + " (not a non-final static field)");
                    continue;
                }
                f.setAccessible(true);
                f.set(null, s.value());
            } catch (ReflectiveOperationException | RuntimeException e) {
                failed.add(s.className() + "." + s.fieldName() + " (" + e + ")");
            }
        }
        if (!failed.isEmpty()) {
            System.err.println("mp4j: process " + launch.name + ": these static fields kept their initial value: " + String.join(", ", failed));
        }
    }

    // ------------------------------------------------------------------ warm-up (stages in io.mp4j.worker.warmup)

    /** The child's own path, for the lean cache's training: its classes, and a dummy launch run as a real one is. */
    private static void trainOwnPath(Launch r) {
        try {
            ClassLoader loader = ChildMain.class.getClassLoader();
            for (String c : List.of(ParentWatch.class.getName(), ParentWatch.class.getName() + "$Watch", WarmUpPriority.class.getName(),
                    ChildRuntime.class.getName(), FastExit.class.getName(), ProcessExit.class.getName(), Launch.StaticValue.class.getName())) {
                Class.forName(c, true, loader);
            }
            WarmUpPriority.canRestore();
            ChildRuntime.init(r);
            run(r);
            FastExit.nothingRunsAtExit(); // its look at the exit lists: variable handles
            FastExit.liveThreads();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A standby's stage that opens the class path up to the application's classes ({@link #openClassPathTo}). */
    private static void openClassPathToApplication() {
        if (openTo != null) openClassPathTo(openTo);
    }

    /** The argument naming the class up to whose jar a standby opens the class path ({@link #openClassPathTo}). */
    public static final String OPEN_TO_ARG = "--open-to=";

    /**
     * Opens the class path up to the jar (or directory) that holds {@code className}, without loading it, and
     * says whether one does. The first look-up of a class that the cache does not hold (the task's own class)
     * walks the class path in order and opens every jar it passes, which can cost a warm JVM's start several times
     * its usual length (docs/journal/2026-11-23-starts-pools-scaling.md#class-path-order). A standby does that
     * walk during its warm-up, up to the application's own classes (the parent's main class,
     * {@link #applicationClass()}), where nobody waits for it; the jars after it stay closed (each open one keeps
     * its central directory in memory).
     *
     * @param className the class
     * @return whether a jar or directory of the class path holds it
     */
    public static boolean openClassPathTo(String className) {
        ClassLoader loader = ChildMain.class.getClassLoader();
        return loader != null && loader.getResource(className.replace('.', '/') + ".class") != null;
    }

    /**
     * The main class of this JVM's application, from the launcher's command ({@code sun.java.command}); null when
     * it was started with {@code -jar} (its jar is the class path's first entry), {@code -m} or from a source
     * file, is a JVM of this library, or does not say (a standby answers with the class it was given).
     *
     * @return the class name, or null
     */
    public static String applicationClass() {
        String c = applicationClass(System.getProperty("sun.java.command"));
        return c != null ? c : openTo; // a standby starting JVMs of its own passes its own on
    }

    static String applicationClass(String command) {
        if (command == null || command.isBlank()) return null;
        String first = command.strip().split("\\s+", 2)[0];
        if (first.endsWith(".jar") || first.endsWith(".java") || first.contains("/") || first.contains(File.separator)) return null;
        if (first.startsWith("io.mp4j.worker.")) return null;
        for (String part : first.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
                    || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) return null;
        }
        return first;
    }
}
