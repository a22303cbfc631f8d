package io.mp4j.worker;

import io.mp4j.worker.pool.WorkerLoop;
import io.mp4j.worker.task.FunctionRef;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
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
                // an ahead-of-time cache training run (see AotCache): the lean launch path, a pool worker's, and
                // the locks' (their futex link and their paths, free and contended), so that a fresh child that
                // contends for a lock finds the linker's classes archived and the lock paths profiled. The
                // cache stays lean otherwise (a large cache costs a short-lived child more to map than it saves);
                // the locks grow it a little and leave SPAWN starts as they were (docs/journal/2026-12-07-figures-from-code-comments.md#starts)
                warmLaunchPath();
                warmPoolWorker();
                trainLaunchClasses();
                io.mp4j.ipc.sync.Warmup.runNow();
                trainUpperLayers(); // a manager's server and proxy calls (SPAWN managers and their children)
                System.exit(0);
            }
            if (a.equals("--train-warm")) {
                // the training run of the standby JVMs' cache: their whole warm-up
                warmUp();
                trainUpperLayers();
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
            if (warm) warmUp();
            if (preload != null) preload(preload);
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

    // ------------------------------------------------------------------ warm-up

    /** A serializable no-argument function type used only to warm the decode/invoke path. */
    @FunctionalInterface
    interface WarmTask extends Serializable { void run(int a, String b, long c) throws Exception; }

    private static volatile long sink;

    static void warmTarget(int a, String b, long c) { sink += a + b.length() + c; }

    /**
     * The warm-up, in stages; a task that arrives meanwhile ends it at the next stage (a standby still
     * warming up is handed a task when no warm one is ready: it is further along than a new JVM).
     */
    private static void warmUp() {
        List<Runnable> stages = List.of(
                ChildMain::warmLaunchPath,
                ChildMain::warmPoolWorker,
                () -> { if (openTo != null) openClassPathTo(openTo); },
                () -> io.mp4j.ipc.codec.Codec.decode(io.mp4j.ipc.codec.Codec.encode(List.of(1, 2), Object.class), Object.class),
                // link the shared-memory primitives' VarHandles and futex downcall, and profile their paths
                io.mp4j.ipc.sync.Warmup::runNow,
                // link the connection package's native calls (socket passing) ahead of a pipe end's attach
                io.mp4j.ipc.connection.Connections::warmUp,
                FastExit::prepare);
        for (Runnable stage : stages) {
            if (ParentWatch.launchArrived()) return;
            try {
                stage.run();
            } catch (Throwable e) {
                System.err.println("mp4j child: warm-up failed (continuing): " + e);
            }
        }
    }

    /**
     * Loads, links and (where harmless) runs the rest of a child's own path, so that the lean cache holds every
     * class of it: a class missing from the cache is looked up jar by jar along the class path, and each jar
     * it passes is opened (a large share of a SPAWN start when the worker jar comes late: docs/journal/2026-12-07-figures-from-code-comments.md#starts).
     */
    private static void trainLaunchClasses() {
        try {
            ClassLoader loader = ChildMain.class.getClassLoader();
            for (String c : List.of(ParentWatch.class.getName(), ParentWatch.class.getName() + "$Watch", WarmUpPriority.class.getName(),
                    ChildRuntime.class.getName(), FastExit.class.getName(), ProcessExit.class.getName(), Launch.StaticValue.class.getName())) {
                Class.forName(c, true, loader);
            }
            WarmUpPriority.canRestore();
            Launch r = warmLaunch(1);
            ChildRuntime.init(r);
            run(r);
            FastExit.nothingRunsAtExit(); // its look at the exit lists: variable handles
            FastExit.liveThreads();
        } catch (Throwable e) {
            System.err.println("mp4j child: training failed (continuing): " + e);
        }
    }

    /**
     * Calls a target of each common shape (no to three reference arguments; void or a reference back): the
     * method handles that calling a target makes are shared by the targets of one shape, and a fresh JVM spins
     * them on first use, on the task's path; made here, the caches hold them and warm JVMs have them.
     */
    private static void warmShapes() throws Throwable {
        // each in a class of its own, not yet initialised when first called, as a task's class usually is (its
        // handle then carries the initialisation check: another shape of handle); parameters of a type other
        // than Object each take a cast (one more handle per position), and four or more a spreader
        for (Serializable shape : List.<Serializable>of((Shape0) S0::run, (Shape1) S1::run, (Shape2) S2::run,
                (Shape3) S3::run, (Shape4) S4::run, (Fn0) F0::apply, (Fn1) F1::apply, (Fn2) F2::apply, (Fn3) F3::apply,
                (Typed1) T1::run, (Typed2) T2::run, (Typed3) T3::run, (Typed4) T4::run, (TypedFn1) G1::apply)) {
            FunctionRef f = FunctionRef.of(shape);
            Object[] args = new Object[f.argTypes().length];
            java.util.Arrays.fill(args, "x");
            f.invoke(args);
        }
    }

    @FunctionalInterface interface Shape0 extends Serializable { void run(); }
    @FunctionalInterface interface Shape1 extends Serializable { void run(Object a); }
    @FunctionalInterface interface Shape2 extends Serializable { void run(Object a, Object b); }
    @FunctionalInterface interface Shape3 extends Serializable { void run(Object a, Object b, Object c); }
    @FunctionalInterface interface Shape4 extends Serializable { void run(Object a, Object b, Object c, Object d); }
    @FunctionalInterface interface Typed1 extends Serializable { void run(String a); }
    @FunctionalInterface interface Typed2 extends Serializable { void run(String a, String b); }
    @FunctionalInterface interface Typed3 extends Serializable { void run(String a, String b, String c); }
    @FunctionalInterface interface Typed4 extends Serializable { void run(String a, String b, String c, String d); }
    @FunctionalInterface interface TypedFn1 extends Serializable { String apply(String a); }
    @FunctionalInterface interface Fn0 extends Serializable { Object apply(); }
    @FunctionalInterface interface Fn1 extends Serializable { Object apply(Object a); }
    @FunctionalInterface interface Fn2 extends Serializable { Object apply(Object a, Object b); }
    @FunctionalInterface interface Fn3 extends Serializable { Object apply(Object a, Object b, Object c); }

    static final class S0 { static void run() { sink++; } }
    static final class S1 { static void run(Object a) { sink += a.hashCode(); } }
    static final class S2 { static void run(Object a, Object b) { sink += a.hashCode() + b.hashCode(); } }
    static final class S3 { static void run(Object a, Object b, Object c) { sink += a.hashCode() + b.hashCode() + c.hashCode(); } }
    static final class S4 { static void run(Object a, Object b, Object c, Object d) { sink += a.hashCode() + d.hashCode(); } }
    static final class T1 { static void run(String a) { sink += a.length(); } }
    static final class T2 { static void run(String a, String b) { sink += a.length() + b.length(); } }
    static final class T3 { static void run(String a, String b, String c) { sink += a.length() + c.length(); } }
    static final class T4 { static void run(String a, String b, String c, String d) { sink += a.length() + d.length(); } }
    static final class G1 { static String apply(String a) { return a; } }
    static final class F0 { static Object apply() { return sink; } }
    static final class F1 { static Object apply(Object a) { return a; } }
    static final class F2 { static Object apply(Object a, Object b) { return b; } }
    static final class F3 { static Object apply(Object a, Object b, Object c) { return c; } }

    /**
     * The paths of the library's layers above this module that the ahead-of-time caches are trained with, by class
     * name (this module knows none of their types): a manager's server and a proxy's calls, which a child that serves
     * or uses a manager then finds loaded, linked and profiled. Each is a {@link Runnable} with a no-argument
     * constructor, in a package open to this module; one that is not on the class path is skipped. Only the
     * trainings run them, not the standbys' warm-up, which every FORK program pays for (docs/journal/2026-12-07-manager-figures.md).
     */
    public static final List<String> TRAINED_UPPER_PATHS = List.of("io.mp4j.managers.ManagerWarmUp");

    private static void trainUpperLayers() {
        for (String name : TRAINED_UPPER_PATHS) {
            Class<?> c;
            try {
                c = Class.forName(name, true, ChildMain.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                continue;
            }
            try {
                var make = c.getDeclaredConstructor();
                make.setAccessible(true);
                ((Runnable) make.newInstance()).run();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                System.err.println("mp4j child: training " + name + " failed (continuing): " + e);
            }
        }
    }

    /** A pool worker's path (pools of FORK and FORKSERVER are made of standbys). */
    private static void warmPoolWorker() {
        try {
            io.mp4j.worker.pool.WorkerLoop.warmUp();
        } catch (java.nio.file.NoSuchFileException e) {
            // the parent's directory is gone: it is exiting, and so will this JVM
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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

    /** Reads, decodes and invokes dummy launches: what every child does with its real one. */
    private static void warmLaunchPath() {
        try {
            for (int i = 0; i < 200; i++) {
                Launch r = warmLaunch(i);
                r.function.invoke(r.args);
            }
            warmShapes();
        } catch (Throwable e) {
            System.err.println("mp4j child: warm-up failed (continuing): " + e);
        }
    }

    /** A launch message of {@link #warmTarget}, encoded and decoded as a real one is. */
    private static Launch warmLaunch(int i) throws IOException {
        Launch l = new Launch();
        l.name = "warm";
        l.identity = "0";
        l.parentName = "warm";
        l.startMethod = "warm";
        l.function = FunctionRef.of((WarmTask) ChildMain::warmTarget);
        l.args = new Object[]{i, "x", 3L};
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        l.write(new DataOutputStream(bos));
        return Launch.read(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())), ChildMain.class.getClassLoader());
    }

    /** Loads and initialises the named classes (the fork server's preload list); unknown names are reported. */
    private static void preload(String names) {
        for (String n : names.split(",")) {
            if (n.isBlank()) continue;
            try {
                Class.forName(n.trim(), true, ChildMain.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                System.err.println("mp4j child: cannot preload " + n + ": " + e);
            }
        }
    }

}
