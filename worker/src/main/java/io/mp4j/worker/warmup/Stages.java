package io.mp4j.worker.warmup;

import io.mp4j.worker.FastExit;
import io.mp4j.worker.Launch;
import io.mp4j.worker.ParentWatch;
import io.mp4j.worker.task.FunctionRef;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * A child JVM's warm-up and its ahead-of-time cache trainings, in stages that the child's bootstrap starts
 * explicitly: a standby's warm-up on a thread of its own ({@link #standby}), stopped at its next stage when a task
 * arrives; the trainings of the lean cache ({@link #trainLean}) and of the standbys' cache ({@link #trainStandby}).
 * Nothing here runs from a constructor or a static initialiser.
 */
public final class Stages {
    private Stages() {}

    /**
     * The paths of the library's layers above this module that the ahead-of-time caches are trained with, by class
     * name (this module knows none of their types): a manager's server and a proxy's calls, which a child that serves
     * or uses a manager then finds loaded, linked and profiled. Each is a {@link Runnable} with a no-argument
     * constructor, in a package open to this module; one that is not on the class path is skipped. Only the
     * trainings run them, not the standbys' warm-up, which every FORK program pays for (docs/journal/2026-12-07-manager-figures.md).
     */
    public static final List<String> TRAINED_UPPER_PATHS = List.of("io.mp4j.managers.ManagerWarmUp");

    /**
     * The prefix of a file, followed by the name of one of {@link #TRAINED_UPPER_PATHS}, that asks the standbys started
     * afterwards to run that path live as the last stage of their warm-up (compiled, not only profiled): a parent
     * that has started a manager makes one in its private directory, so that the children that will call its proxies
     * come with their calls compiled, and a FORK program without a manager does not pay for it.
     */
    public static final String LIVE_WARM_UP_PREFIX = "warm-up-";

    /** A serializable function type used only to warm the decode/invoke path. */
    @FunctionalInterface
    interface WarmTask extends Serializable { void run(int a, String b, long c) throws Exception; }

    private static volatile long sink;

    static void warmTarget(int a, String b, long c) { sink += a + b.length() + c; }

    /**
     * A standby's warm-up, in stages; a task that arrives meanwhile ends it at the next stage (a standby still
     * warming up is handed a task when no warm one is ready: it is further along than a new JVM).
     *
     * @param openClassPath opens the class path up to the application's classes (a stage of its own)
     */
    public static void standby(Runnable openClassPath) { standby(openClassPath, null); }

    /**
     * {@link #standby(Runnable)}, then the upper layers' paths that the parent asked for in {@code dir} (its private
     * directory, where the standby's ready file is; null: none), see {@link #LIVE_WARM_UP_PREFIX}.
     *
     * @param openClassPath as for {@link #standby(Runnable)}
     * @param dir the parent's private directory, or null
     */
    public static void standby(Runnable openClassPath, java.nio.file.Path dir) {
        standbyStages(openClassPath);
        if (dir == null) return;
        for (String name : TRAINED_UPPER_PATHS) {
            if (ParentWatch.launchArrived()) return;
            if (java.nio.file.Files.exists(dir.resolve(LIVE_WARM_UP_PREFIX + name))) {
                live = true;
                try {
                    runUpperPath(name);
                } finally {
                    live = false;
                }
            }
        }
    }

    private static volatile boolean live;

    /**
     * Whether an upper layer's path runs now as a standby's live warm-up (rather than a cache's training): it may then
     * run longer, for the compilers.
     *
     * @return whether a live warm-up runs
     */
    public static boolean isLiveWarmUp() { return live; }

    private static void standbyStages(Runnable openClassPath) {
        List<Runnable> stages = List.of(
                Stages::warmLaunchPath,
                Stages::warmPoolWorker,
                openClassPath,
                // the codec's compact form, and Jackson (a list of non-scalars), for the children that use either
                () -> io.mp4j.ipc.codec.Codec.decode(io.mp4j.ipc.codec.Codec.encode(List.of(1, 2), Object.class), Object.class),
                () -> io.mp4j.ipc.codec.Codec.decode(io.mp4j.ipc.codec.Codec.encode(
                        List.of(java.math.BigInteger.TWO), Object.class), Object.class),
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
     * The lean cache's training (SPAWN children): the launch path, a pool worker's, the child's own path, the locks'
     * (their futex link and their paths, free and contended, so that a fresh child that contends for a lock finds
     * the linker's classes archived), and the upper layers'. The cache stays lean otherwise: a large cache costs a
     * short-lived child more to map than it saves.
     *
     * @param ownPath runs a launch through the child's own path, as the bootstrap runs a real one
     */
    public static void trainLean(Consumer<Launch> ownPath) {
        warmLaunchPath();
        warmPoolWorker();
        try {
            ownPath.accept(warmLaunch(1));
        } catch (Throwable e) {
            System.err.println("mp4j child: training failed (continuing): " + e);
        }
        io.mp4j.ipc.sync.Warmup.runNow();
        trainUpperLayers();
    }

    /**
     * The standbys' cache's training (FORK and FORKSERVER): their whole warm-up, then the upper layers'.
     *
     * @param openClassPath as for {@link #standby}
     */
    public static void trainStandby(Runnable openClassPath) {
        standby(openClassPath);
        trainUpperLayers();
    }

    /**
     * Loads and initialises the named classes (the fork server's preload list); unknown names are reported.
     *
     * @param names class names, comma-separated
     */
    public static void preload(String names) {
        for (String n : names.split(",")) {
            if (n.isBlank()) continue;
            try {
                Class.forName(n.trim(), true, Stages.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                System.err.println("mp4j child: cannot preload " + n + ": " + e);
            }
        }
    }

    private static void trainUpperLayers() {
        for (String name : TRAINED_UPPER_PATHS) runUpperPath(name);
    }

    /** Runs one of {@link #TRAINED_UPPER_PATHS}; skipped when it is not on the class path. */
    private static void runUpperPath(String name) {
        Class<?> c;
        try {
            c = Class.forName(name, true, Stages.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        try {
            var make = c.getDeclaredConstructor();
            make.setAccessible(true);
            ((Runnable) make.newInstance()).run();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.err.println("mp4j child: warming " + name + " up failed (continuing): " + e);
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

    /** Reads, decodes and invokes dummy launches: what every child does with its real one. */
    private static void warmLaunchPath() {
        try {
            for (int i = 0; i < 200; i++) {
                Launch r = warmLaunch(i);
                r.function.invoke(r.args);
            }
            Shapes.callEach();
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
        l.function = FunctionRef.of((WarmTask) Stages::warmTarget);
        l.args = new Object[]{i, "x", 3L};
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        l.write(new DataOutputStream(bos));
        return Launch.read(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())), Stages.class.getClassLoader());
    }
}
