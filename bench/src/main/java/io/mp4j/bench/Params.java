package io.mp4j.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload parameters of the CPython suite ({@code PARAMS} in {@code ../shared/bench/python/suite.py}),
 * with the same names and the same scaling rule: keys ending in {@code _n}, {@code _items} or {@code _tasks}
 * are counts multiplied by {@code scale} (at least 2); {@code _reps} and {@code _warmup} are not scaled;
 * {@code primes_below} is scaled too when {@code scale != 1} (at least 1,000).
 *
 * <p>Keys beginning with {@code x_} are the Java harness's own figures (no Python counterpart).
 */
public final class Params {
    /** {@code suite.py}'s PARAMS, in its order; per-method counts as a map from Python method name. */
    static final Map<String, Object> BASE = base();

    /** pi(N) for the sanity checks, as suite.py's PRIME_COUNTS. */
    public static final Map<Integer, Integer> PRIME_COUNTS = Map.of(300_000, 25_997, 2_000_000, 148_933);

    private final Map<String, Object> values;
    private final double scale;
    private final List<Integer> workers;

    private Params(Map<String, Object> values, double scale, List<Integer> workers) {
        this.values = values;
        this.scale = scale;
        this.workers = workers;
    }

    /** The pool sizes of the scaling figure ({@code --workers}; default 1,2). */
    public List<Integer> workers() { return workers; }

    /** The same parameters with other pool sizes for the scaling figure. */
    public Params withWorkers(List<Integer> w) {
        if (w.isEmpty()) throw new IllegalArgumentException("workers must not be empty");
        for (int n : w) if (n < 1) throw new IllegalArgumentException("workers must be positive: workers=" + w);
        return new Params(values, scale, List.copyOf(w));
    }

    private static Map<String, Object> base() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("start_n", 20); m.put("start_warmup", 2);
        m.put("pool_startup_reps", 10); m.put("pool_startup_warmup", 1);
        m.put("map_items", 100_000); m.put("imap_items", 20_000);
        m.put("map_cs1_reps", 3); m.put("map_default_reps", 5); m.put("imap_reps", 3);
        m.put("apply_n", 2_000); m.put("apply_warmup", 200);
        m.put("pipe_n", 20_000); m.put("pipe_warmup", 1_000);
        m.put("pipe_bulk_msg_bytes", 1 << 20); m.put("pipe_bulk_items", 64); m.put("pipe_bulk_reps", 5);
        m.put("queue_items", 200_000); m.put("queue_reps", 3);
        m.put("lock_items", 100_000); m.put("lock_reps", 3);
        m.put("primes_below", 300_000); m.put("primes_chunks", 32); m.put("cpu_reps", 3);
        m.put("mtpc_none_tasks", 2_000); m.put("mtpc_reps", 3);
        // Python's counts per method; THREAD (no Python counterpart) uses fork's.
        m.put("mtpc1_tasks", Map.of("fork", 1_000, "forkserver", 200, "spawn", 40, "thread", 1_000));
        m.put("manager_ops", 5_000); m.put("manager_reps", 3); m.put("manager_start_reps", 5);
        // Java-only figures (not in suite.py).
        m.put("x_floor_n", 200_000); m.put("x_floor_warmup_n", 20_000); m.put("x_floor_batch", 1_000);
        m.put("x_fj_tasks", 400); m.put("x_fj_reps", 3);
        m.put("x_rss_reps", 3);
        m.put("x_jvm_floor_n", 10);
        m.put("x_queue_latency_n", 20_000); m.put("x_queue_latency_warmup", 1_000);
        m.put("x_queue_wake_reps", 9);
        m.put("x_spawn_spread_reps", 3);
        m.put("x_poll_budget_n", 2_000);
        m.put("x_first_use_n", 5); m.put("x_first_use_warmup", 1);
        // 1: the JIT warm-up loops run until the timings settle (CpuBoundFigure.warm); 0: one run each
        m.put("x_jit_warmup", 1);
        m.put("x_scaling_below", 2_000_000); m.put("x_scaling_chunks", 128); m.put("x_scaling_reps", 3);
        // cpu_bound's sized variant: Java's sequential run about as long as CPython's on primes_below (0.25-0.4 s)
        m.put("x_cpu_sized_below", 2_000_000);
        return m;
    }

    /** The parameters at {@code scale} (1.0 = the full suite). */
    public static Params of(double scale) {
        if (!(scale > 0)) throw new IllegalArgumentException("scale must be positive: scale=" + scale);
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : BASE.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            if (k.endsWith("_n") || k.endsWith("_items") || k.endsWith("_tasks")) {
                if (v instanceof Map<?, ?> per) {
                    Map<String, Integer> scaled = new LinkedHashMap<>();
                    per.forEach((mk, mv) -> scaled.put((String) mk, sc((Integer) mv, scale)));
                    out.put(k, scaled);
                } else {
                    out.put(k, sc((Integer) v, scale));
                }
            } else {
                out.put(k, v);
            }
        }
        if (scale != 1.0) out.put("primes_below", Math.max(1000, (int) (300_000 * scale)));
        if (scale != 1.0) out.put("x_cpu_sized_below", Math.max(1000, (int) (2_000_000 * scale)));
        return new Params(out, scale, List.of(1, 2));
    }

    private static int sc(int v, double scale) { return Math.max(2, (int) (v * scale)); }

    /**
     * These parameters for a smoke run, which checks that every figure works and whose numbers are not for reading:
     * one repetition of anything, at most 2 tasks for the figure that starts a worker per task
     * ({@code mtpc1_tasks}: at fork's 50 a smoke run spent most of its time starting FORK workers), and one run of
     * each whole program of {@code first_use}, without its unrecorded first run (each run is a coordinator JVM and
     * its children, whatever the scale); no unrecorded process or pool starts ({@code start_warmup},
     * {@code pool_startup_warmup}: each costs JVM starts), and one run of each JIT warm-up loop ({@code x_jit_warmup}).
     * Warm-up iterations within a JVM ({@code pipe_warmup}, ...) stay. The CPython suite keeps its own counts.
     */
    /** The parameters a smoke run sets to 0: unrecorded runs that cost JVM starts, and JIT warm-up loops. */
    private static final java.util.Set<String> SMOKE_NONE = java.util.Set.of("x_first_use_warmup", "start_warmup", "pool_startup_warmup", "x_jit_warmup");

    public Params smoke() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if ((k.endsWith("_reps") || k.equals("x_first_use_n")) && v instanceof Integer i) out.put(k, Math.min(i, 1));
            else if (SMOKE_NONE.contains(k)) out.put(k, 0);
            else if (k.equals("mtpc1_tasks") && v instanceof Map<?, ?> per) {
                Map<String, Integer> capped = new LinkedHashMap<>();
                per.forEach((mk, mv) -> capped.put((String) mk, Math.min((Integer) mv, 2)));
                out.put(k, capped);
            } else {
                out.put(k, v);
            }
        });
        return new Params(out, scale, workers);
    }

    public double scale() { return scale; }

    /** An integer parameter. */
    public int get(String key) {
        Object v = values.get(key);
        if (!(v instanceof Integer i)) throw new IllegalArgumentException("unknown integer parameter: key=" + key);
        return i;
    }

    /** A per-method integer parameter ({@code mtpc1_tasks}), by Python method name. */
    public int get(String key, String method) {
        Object v = values.get(key);
        if (!(v instanceof Map<?, ?> m) || !(m.get(method) instanceof Integer i)) {
            throw new IllegalArgumentException("unknown per-method parameter: key=" + key + ", method=" + method);
        }
        return i;
    }

    /** Every parameter, for the JSON output. */
    public Map<String, Object> asMap() { return java.util.Collections.unmodifiableMap(values); }
}
