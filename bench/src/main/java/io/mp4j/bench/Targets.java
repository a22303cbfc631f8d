package io.mp4j.bench;

import java.util.Map;

/**
 * The project's performance targets (listed in docs/performance.md), encoded: for each
 * {@code figure[.variant]} key and start method, the {@link Target} or null when the figure is reported
 * without one (a floor, a raw time).
 */
public final class Targets {
    private Targets() {}

    private static final Map<String, Target> SAME_FOR_EVERY_METHOD = Map.ofEntries(
            Map.entry("pool_startup_ms", Target.ratioMax(0.7)),
            Map.entry("pool_map_tiny_tasks_per_s.map_chunksize1", Target.ratioMin(10)),
            Map.entry("pool_map_tiny_tasks_per_s.map_default_chunksize", Target.ratioMin(1)),
            Map.entry("pool_map_tiny_tasks_per_s.imap_unordered_chunksize1", Target.ratioMin(10)),
            Map.entry("apply_async_roundtrip_us", Target.ratioMax(0.2)),
            Map.entry("pipe_roundtrip_us", Target.ratioMax(0.6)),
            Map.entry("pipe_send_bytes_1mib_throughput_mib_per_s", Target.ratioMin(1.5)),
            Map.entry("queue_throughput_msgs_per_s.queue", Target.ratioMin(10)),
            Map.entry("queue_throughput_msgs_per_s.simplequeue", Target.ratioMin(10)),
            Map.entry("value_lock_increments_per_s", Target.ratioMin(3)),
            Map.entry("value_lock_final_exact", Target.exactly(1)),
            Map.entry("cpu_bound_speedup.pool2", Target.atLeast(1.8).onCores(2).withNote("idle machine")),
            Map.entry("scaling_speedup.pool16", Target.atLeast(15).onCores(16)),
            Map.entry("idle_worker_rss_mib", Target.atMost(40)),
            Map.entry("forkjoin_throughput_ratio.pool_vs_forkjoinpool", Target.atLeast(0.95)),
            Map.entry("manager_dict_ops_per_s", Target.ratioMin(3)),
            Map.entry("manager_startup_ms", Target.ratioMax(1)),
            // checks moved from timed unit tests (the tests keep the behaviour, the benchmark the timing)
            Map.entry("queue_burst_wake_ms.getters", Target.atMost(10)),
            Map.entry("queue_burst_wake_ms.putters", Target.atMost(10)),
            Map.entry("pool_spawn_start_spread_ms.one_task", Target.atLeast(30)),
            Map.entry("pool_spawn_start_spread_ms.work_for_all", Target.atMost(200)),
            Map.entry("pipe_poll_budget_us.idle_peer", Target.atMost(2)),
            Map.entry("first_use_ms.process", Target.ratioMax(3)),
            Map.entry("first_use_ms.pipe", Target.ratioMax(3)),
            Map.entry("first_use_ms.queue", Target.ratioMax(3)),
            Map.entry("first_use_ms.value_lock", Target.ratioMax(3)),
            Map.entry("first_use_ms.barrier", Target.ratioMax(3)),
            Map.entry("first_use_ms.pool", Target.ratioMax(3)),
            Map.entry("first_use_vs_process.pipe", Target.atMost(1.5)),
            Map.entry("first_use_vs_process.queue", Target.atMost(1.5)),
            Map.entry("first_use_vs_process.value_lock", Target.atMost(1.5)),
            Map.entry("first_use_vs_process.barrier", Target.atMost(1.5)),
            Map.entry("first_use_vs_process.pool", Target.atMost(1.5)));

    /** The target of a figure key under a start method (Python name), or null if it has none. */
    public static Target of(String key, String method) {
        switch (key) {
            case "process_start_join_ms":
                // SPAWN ≤ 0.8× Python spawn; FORK and FORKSERVER (warm JVM ready) ≤ 1× Python forkserver
                return switch (method) {
                    case "spawn" -> Target.ratioMax(0.8);
                    case "fork", "forkserver" -> Target.ratioMax(1).vsPython("forkserver");
                    default -> null;
                };
            case "maxtasksperchild_tasks_per_s.1":
                // SPAWN ≥ 2× Python spawn; FORK, FORKSERVER ≥ 1× Python forkserver
                return switch (method) {
                    case "spawn" -> Target.ratioMin(2);
                    case "fork", "forkserver" -> Target.ratioMin(1).vsPython("forkserver");
                    default -> null;
                };
            default:
                return SAME_FOR_EVERY_METHOD.get(key);
        }
    }
}
