package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure, in the table's order: the Python suite's keys first (suite.py's order), then Java-only ones. */
public final class Figures {
    private Figures() {}

    private static final Map<String, Figure> ALL = new LinkedHashMap<>();

    static {
        add(new ProcessStartFigure());
        add(new PoolStartupFigure());
        add(new PoolMapFigure());
        add(new ApplyAsyncFigure());
        add(new PipeFigure());
        add(new QueueFigure());
        add(new ValueLockFigure());
        add(new CpuBoundFigure());
        add(new MaxTasksPerChildFigure());
        add(new ManagerFigure());
        add(new ShmFloorFigure());
        add(new QueueFloorFigure());
        add(new ValueLockFloorFigure());
        add(new LockHandoffFigure());
        add(new ForkJoinFigure());
        add(new IdleRssFigure());
        add(new JvmFloorFigure());
        add(new QueueLatencyFigure());
        add(new QueueWakeFigure());
        add(new PoolSpawnSpreadFigure());
        add(new PipePollBudgetFigure());
        add(new FirstUseFigure());
        add(new ScalingFigure());
        add(new ClusterCpuFigure());
    }

    private static void add(Figure f) { ALL.put(f.key(), f); }

    /**
     * The figure of a key; a fully qualified class name (containing a dot) names a {@link Figure} class
     * with a public no-argument constructor (how the harness's own tests inject figures that fail).
     */
    public static Figure get(String key) {
        if (key.contains(".")) {
            try {
                return (Figure) Class.forName(key).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalArgumentException("not a figure class: " + key + " (" + e + ")");
            }
        }
        Figure f = ALL.get(key);
        if (f == null) throw new IllegalArgumentException("unknown figure: " + key + " (expected one of " + String.join(", ", ALL.keySet()) + ")");
        return f;
    }

    /** Every key, in order. */
    public static List<String> keys() { return new ArrayList<>(ALL.keySet()); }

    /** The keys a plain run measures: all but {@code scaling} (minutes of CPython time; ask for it with --only). */
    public static List<String> defaultKeys() {
        List<String> k = keys();
        k.remove("scaling");
        return k;
    }

    /** The results of a figure, each marked not built with {@code why}. */
    public static List<Result> notBuilt(String key, String why) { return get(key).notBuilt(why); }

    /** Whether a start method keeps warm JVMs (FORK's standbys, the fork server's) that figures wait for. */
    public static boolean hasWarmJvms(String method) { return method.equals("fork") || method.equals("forkserver"); }

    /** Waits until the context's warm JVMs are ready ({@link Context#awaitReady}), failing after 60 s. */
    public static void awaitWarmJvms(Context ctx) throws InterruptedException {
        if (!ctx.awaitReady(java.time.Duration.ofSeconds(60))) throw new IllegalStateException("warm JVMs not ready after 60 s");
    }

    /** {@link #awaitWarmJvms(Context)} under a start method that keeps warm JVMs; nothing under the others. */
    public static void awaitWarmJvms(Context ctx, String method) throws InterruptedException {
        if (hasWarmJvms(method)) awaitWarmJvms(ctx);
    }
}
