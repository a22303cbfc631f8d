package io.mp4j.cluster;

import io.mp4j.BaseContext;
import io.mp4j.Pool;
import io.mp4j.ProcessPoolExecutor;
import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;
import io.mp4j.function.Task4;
import io.mp4j.shared.MpLock;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;

import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A context whose pools, executors, processes, queues, locks and values live on an Apache Ignite cluster: the same
 * factory methods as a local {@code io.mp4j.Context} ({@link BaseContext}), so that a program written against
 * {@code BaseContext} and the {@code io.mp4j.shared} interfaces runs on either with only the context changed.
 *
 * <pre>{@code
 * try (ClusterContext ctx = ClusterContext.startLocal(2)) {          // two server JVMs on loopback, for trying out
 *     try (Pool pool = ctx.pool()) {
 *         System.out.println(pool.map(Squares::square, List.of(1, 2, 3)));
 *     }
 * }
 * try (ClusterContext ctx = ClusterContext.connect(ClusterConfig.builder()
 *         .bindAddress("10.0.0.5").addresses(List.of("10.0.0.7:47500..47509")).build())) { ... }   // nodes started by hand
 * }</pre>
 *
 * <p>This JVM joins the cluster as an Ignite <em>client</em> node (it runs no task and holds no data). Work runs on
 * the <em>server</em> nodes ({@code bin/mp4j node}), which load tasks from their own class path. Every object this
 * context makes is removed from the cluster when it is closed; until then it can be passed to this cluster's
 * processes and pools, never to a local context's (nor a local object to a cluster process). See docs/cluster.md for
 * what differs from one machine.
 *
 * <p>Thread-safe. Every JVM that runs a node needs Ignite's JVM flags ({@link ClusterFlags#IGNITE}); {@code bin/mp4j}
 * adds them.
 */
public final class ClusterContext implements BaseContext, AutoCloseable {
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final ClusterConfig config;
    private final Ignite ignite;
    private final String instanceName;
    private final Path workDir;
    private final LocalCluster owned;
    private final List<Closeable> made = new CopyOnWriteArrayList<>();
    private final Set<Long> cellKeys = ConcurrentHashMap.newKeySet();
    private final List<ClusterProcess> processes = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextServer = new AtomicInteger();
    private volatile boolean closed;

    private ClusterContext(ClusterConfig config, LocalCluster owned) {
        ClusterFlags.check();
        this.config = config;
        this.owned = owned;
        this.instanceName = "mp4j-client-" + ProcessHandle.current().pid() + "-" + CLIENTS.incrementAndGet();
        this.workDir = IgniteSetup.privateDirectory("cluster-client");
        Ignite ig;
        try {
            ig = Ignition.start(IgniteSetup.configuration(config, instanceName, true, workDir));
            ig.getOrCreateCache(new CacheConfiguration<Long, Long>(IgniteSetup.SHARED_CACHE).setCacheMode(CacheMode.PARTITIONED)
                    .setAtomicityMode(CacheAtomicityMode.ATOMIC).setBackups(config.backups()));
        } catch (RuntimeException | Error e) {
            Ignition.stop(instanceName, true);
            IgniteSetup.closeLogger(instanceName);
            IgniteSetup.deleteTree(workDir);
            throw new IllegalStateException("cannot join the cluster at " + config.addresses() + ": " + e.getMessage()
                    + " (Ignite's log: " + workDir.resolve("ignite.log") + ", removed)", e);
        }
        this.ignite = ig;
    }

    /**
     * Joins the cluster whose servers answer at {@code config.addresses()}, as a client node bound to
     * {@code config.bindAddress()}; waits until it has joined.
     *
     * @param config the servers' addresses, the ports and the bind address
     * @return the context, joined
     * @throws IllegalStateException when it cannot join (no server answered within three failure-detection timeouts),
     *                               or this JVM lacks Ignite's flags
     */
    public static ClusterContext connect(ClusterConfig config) {
        return new ClusterContext(Objects.requireNonNull(config, "config"), null);
    }

    /**
     * Joins a {@link LocalCluster}; closing the context leaves the cluster running.
     *
     * @param cluster the running local cluster
     * @return the context, joined
     * @throws IllegalStateException when it cannot join
     */
    public static ClusterContext connect(LocalCluster cluster) { return connect(cluster.config()); }

    /**
     * Starts a {@link LocalCluster} of {@code nodes} server JVMs on loopback and joins it; closing the context stops
     * them. For trying a program out on one machine: the nodes share its cores.
     *
     * @param nodes the number of server JVMs, at least 1
     * @return the context, joined
     * @throws IllegalArgumentException for fewer than 1 node
     * @throws IllegalStateException when a node fails to start or the client cannot join (the nodes are then stopped)
     */
    public static ClusterContext startLocal(int nodes) {
        LocalCluster lc = LocalCluster.start(nodes);
        try {
            return new ClusterContext(lc.config(), lc);
        } catch (RuntimeException | Error e) {
            lc.close();
            throw e;
        }
    }

    /**
     * The Ignite client node of this context, for what this library does not wrap.
     *
     * @return the client node
     * @throws IllegalStateException once the context is closed
     */
    public Ignite ignite() {
        if (closed) throw new IllegalStateException("the ClusterContext is closed");
        return ignite;
    }

    /**
     * The configuration it joined with.
     *
     * @return the configuration
     */
    public ClusterConfig config() { return config; }

    /**
     * The local cluster it started and owns.
     *
     * @return the cluster, or null when it joined one it does not own
     */
    public LocalCluster localCluster() { return owned; }

    /**
     * The server nodes now, in a stable order.
     *
     * @return the server nodes
     */
    public List<ClusterNode> servers() {
        List<ClusterNode> s = new ArrayList<>(ignite().cluster().forServers().nodes());
        s.sort(Comparator.comparing(n -> n.id().toString()));
        return s;
    }

    /**
     * The pids of the server nodes' JVMs (each on its own machine).
     *
     * @return the pids, in the order of {@link #servers()}
     */
    public List<Long> nodePids() {
        List<Long> out = new ArrayList<>();
        for (ClusterNode n : servers()) out.add(pidOf(n));
        return out;
    }

    /**
     * The processors of all server nodes together (what {@link #pool()} uses).
     *
     * @return the number of processors, at least 1
     */
    public int cpuCount() {
        int total = 0;
        for (ClusterNode n : servers()) total += n.metrics().getTotalCpus();
        return Math.max(1, total);
    }

    static long pidOf(ClusterNode n) {
        Object p = n.attribute("org.apache.ignite.jvm.pid");
        return p instanceof Number num ? num.longValue() : -1;
    }

    ClusterNode nextServer() {
        List<ClusterNode> s = servers();
        if (s.isEmpty()) throw new IllegalStateException("the cluster has no server node to run a process on");
        return s.get(Math.floorMod(nextServer.getAndIncrement(), s.size()));
    }

    void checkOpen() { ignite(); }

    /** Records a structure to remove when the context closes. */
    void made(Closeable structure) { made.add(structure); }

    void madeCells(long base, int n) { for (int i = 0; i < n; i++) cellKeys.add(base + i); }

    void started(ClusterProcess p) { processes.add(p); }

    // ------------------------------------------------------------------ processes

    @Override public ClusterProcess process(Task target) { return newProcess(target); }

    @Override public <A> ClusterProcess process(Task1<A> target, A a) { return newProcess(target, a); }

    @Override public <A, B> ClusterProcess process(Task2<A, B> target, A a, B b) { return newProcess(target, a, b); }

    @Override public <A, B, C> ClusterProcess process(Task3<A, B, C> target, A a, B b, C c) { return newProcess(target, a, b, c); }

    @Override public <A, B, C, D> ClusterProcess process(Task4<A, B, C, D> target, A a, B b, C c, D d) {
        return newProcess(target, a, b, c, d);
    }

    private ClusterProcess newProcess(java.io.Serializable target, Object... args) {
        checkOpen();
        return new ClusterProcess(this, Objects.requireNonNull(target, "target"), args);
    }

    // ------------------------------------------------------------------ synchronization

    /** Python's {@code Lock()}: any process may release it; freed when its holder's node dies ({@link ClusterLock}). */
    @Override public ClusterLock lock() { return ClusterLock.create(this); }

    /** Python's {@code RLock()}: a failover-safe Ignite reentrant lock ({@link ClusterRLock}). */
    @Override public ClusterRLock rlock() { return ClusterRLock.create(this); }

    @Override public ClusterSemaphore semaphore(int value) { return ClusterSemaphore.create(this, value); }

    @Override public ClusterSemaphore semaphore() { return semaphore(1); }

    @Override public ClusterBoundedSemaphore boundedSemaphore(int value) { return ClusterBoundedSemaphore.create(this, value); }

    @Override public ClusterBoundedSemaphore boundedSemaphore() { return boundedSemaphore(1); }

    @Override public ClusterEvent event() { return ClusterEvent.create(this); }

    @Override public ClusterCondition condition() { return ClusterCondition.create(rlock()); }

    /**
     * Python's {@code Condition(lock)}: over an RLock of this cluster (null: a new one).
     *
     * @throws IllegalArgumentException for a {@link ClusterLock} (Ignite's conditions belong to its reentrant
     *                                  lock) or a lock of another context
     */
    @Override public ClusterCondition condition(MpLock lock) {
        if (lock == null) return condition();
        if (lock instanceof ClusterRLock r) return ClusterCondition.create(r);
        if (lock instanceof ClusterLock) {
            throw new IllegalArgumentException("a cluster Condition needs an RLock: Ignite's conditions belong to its reentrant lock,"
                    + " which a cluster Lock is not; use ctx.condition() or ctx.condition(ctx.rlock())");
        }
        throw new IllegalArgumentException("a cluster Condition needs an RLock of a ClusterContext, got a " + lock.getClass().getName());
    }

    @Override public ClusterBarrier barrier(int parties) { return barrier(parties, null, null); }

    @Override public ClusterBarrier barrier(int parties, Task action, Duration timeout) { return ClusterBarrier.create(this, parties, action, timeout); }

    // ------------------------------------------------------------------ values

    @Override public ClusterValue value(char typecode, Object initial) { return value(typecode, initial, true); }

    @Override public ClusterValue value(char typecode, Object initial, Object lock) { return ClusterValue.create(this, typecode, initial, lock); }

    @Override public ClusterArray array(char typecode, Object sizeOrInitial) { return array(typecode, sizeOrInitial, true); }

    @Override public ClusterArray array(char typecode, Object sizeOrInitial, Object lock) {
        return ClusterArray.create(this, typecode, sizeOrInitial, lock);
    }

    // ------------------------------------------------------------------ queues

    @Override public <E> ClusterQueue<E> queue(Class<E> elementType, int maxsize) { return ClusterQueue.create(this, elementType, maxsize); }

    @Override public <E> ClusterJoinableQueue<E> joinableQueue(Class<E> elementType, int maxsize) {
        return ClusterJoinableQueue.create(this, elementType, maxsize);
    }

    // ------------------------------------------------------------------ pools

    /**
     * The back end of this cluster's pools and executors ({@code Pool.builder().backend(...)}).
     *
     * @return the factory of cluster pool back ends
     */
    public io.mp4j.spi.PoolBackendFactory poolBackends() { return ClusterPool.factory(this); }

    /** A pool with as many workers as the server nodes have processors together. */
    @Override public Pool pool() { return poolBuilder().processes(cpuCount()).build(); }

    @Override public Pool pool(int processes) { return poolBuilder().processes(processes).build(); }

    /** @throws IllegalArgumentException for a non-null {@code maxtasksperchild}: a cluster cannot honour it */
    @Override public <A> Pool pool(int processes, Task1<A> initializer, A initarg, Integer maxtasksperchild) {
        Pool.Builder b = poolBuilder().processes(processes).initializer(initializer, initarg);
        if (maxtasksperchild != null) b.maxTasksPerChild(maxtasksperchild);
        return b.build();
    }

    @Override public Pool.Builder poolBuilder() { return Pool.builder().backend(poolBackends()); }

    @Override public ProcessPoolExecutor processPoolExecutor(int maxWorkers) { return executorBuilder().maxWorkers(maxWorkers).build(); }

    @Override public ProcessPoolExecutor.Builder executorBuilder() { return ProcessPoolExecutor.builder().backend(poolBackends()); }

    // ------------------------------------------------------------------ life cycle

    /**
     * Waits for the non-daemon processes it started, ends the daemon ones, removes every object it made from the
     * cluster, leaves the cluster, and stops the local cluster it started, if any. Idempotent.
     */
    @Override
    public void close() {
        if (closed) return;
        for (ClusterProcess p : processes) {
            try {
                if (p.isDaemon()) {
                    if (p.isAlive()) p.terminate();
                } else {
                    p.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (p.isAlive()) p.terminate();
            }
        }
        try {
            for (Closeable c : made) {
                try {
                    c.close();
                } catch (Exception | Error e) {
                    // already gone (lost with a node, or removed by another program)
                }
            }
            if (!cellKeys.isEmpty()) {
                try {
                    Cells.cache(ignite).removeAll(new TreeSet<>(cellKeys));
                } catch (RuntimeException e) {
                    // the cluster is gone
                }
            }
        } finally {
            closed = true;
            Ignition.stop(instanceName, true);
            IgniteSetup.closeLogger(instanceName);
            IgniteSetup.deleteTree(workDir);
            if (owned != null) owned.close();
        }
    }

    @Override
    public String toString() { return "ClusterContext[" + config.addresses() + (closed ? " closed]" : "]"); }
}
