package io.mp4j.managers;

import io.mp4j.AsyncResult;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.Pool;
import io.mp4j.StartMethod;
import io.mp4j.managers.ManagerTargets.Counter;
import io.mp4j.managers.ManagerTargets.Proxies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every proxy type used from a child process and from a pool task, in every start method; one manager (with a
 * registered type) and one pool per start method, shared by the tests.
 */
class ManagerProxiesTest {
    static List<StartMethod> methods() { return Methods.all(); }

    private static final Map<StartMethod, SyncManager> MANAGERS = new EnumMap<>(StartMethod.class);
    private static final Map<StartMethod, Pool> POOLS = new EnumMap<>(StartMethod.class);

    static synchronized SyncManager manager(StartMethod m) {
        return MANAGERS.computeIfAbsent(m, k -> Multiprocessing.getContext(k).managerBuilder()
                .register("Counter", Counter.class, ManagerTargets.CounterImpl::new).start());
    }

    static synchronized Pool pool(StartMethod m) {
        return POOLS.computeIfAbsent(m, k -> Multiprocessing.getContext(k).pool(1));
    }

    @AfterAll
    static void closeShared() throws Exception {
        for (Pool p : POOLS.values()) p.terminate();
        for (Pool p : POOLS.values()) assertThat(p.join(10, TimeUnit.SECONDS)).isTrue();
        for (SyncManager m : MANAGERS.values()) m.shutdown();
        POOLS.clear();
        MANAGERS.clear();
    }

    @ParameterizedTest @MethodSource("methods")
    void aManagerStartedUnderForkOrForkserverAsksTheWarmJvmsStartedAfterItToWarmItsPathUp(StartMethod m) {
        manager(m);
        java.nio.file.Path marker = Multiprocessing.getContext(m).resourceDir()
                .resolve(io.mp4j.worker.warmup.Stages.LIVE_WARM_UP_PREFIX + ManagerWarmUp.class.getName());
        assertThat(java.nio.file.Files.exists(marker)).isEqualTo(m == StartMethod.FORK || m == StartMethod.FORKSERVER);
    }

    @org.junit.jupiter.api.Test
    void aSpawnChildHandedAProxyDecodesItWithoutBuildingJacksonsMapper() throws Exception {
        DictProxy<String, Integer> d = manager(StartMethod.SPAWN).dict(String.class, Integer.class);
        MpProcess child = Multiprocessing.getContext(StartMethod.SPAWN).process(ManagerTargets::reportJacksonMapper, d);
        child.start();
        assertThat(child.join(Duration.ofSeconds(60))).isTrue();
        assertThat(child.exitCode()).isZero();
        assertThat(d.get("mapper")).as("the child built Jackson's mapper (1) or not (0)").isZero();
    }

    /** A fresh proxy of every type; the lock is held (the other side releases it), the joinable queue holds 7. */
    static Proxies proxies(SyncManager m) throws InterruptedException {
        DictProxy<String, Object> dict = m.dict(String.class, Object.class);
        dict.put("nested", m.list());
        dict.put("plain", new ArrayList<>(List.of(1)));
        LockProxy lock = m.lock();
        lock.lock();
        JoinableQueueProxy<Integer> jq = m.joinableQueue(Integer.class);
        jq.put(7);
        return new Proxies(dict, m.list(String.class), m.namespace(), m.queue(String.class), jq, lock, m.rlock(),
                m.semaphore(0), m.boundedSemaphore(1), m.condition(), m.event(), m.barrier(2), m.value('i', 0),
                m.array('i', new int[]{0, 0, 0}), m.create("Counter", Counter.class));
    }

    /** What the parent does while the other side runs {@link ManagerTargets#exercise}: waits for each step. */
    static void parentSide(Proxies p) throws Exception {
        assertThat(p.queue().poll(30, TimeUnit.SECONDS)).isEqualTo("hello");
        assertThat(p.jqueue().join(Duration.ofSeconds(30))).isTrue();
        assertThat(p.sem().tryAcquire(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.event().await(30, TimeUnit.SECONDS)).isTrue();
        p.cond().acquire();
        try {
            assertThat(p.cond().waitFor(() -> p.ns().has("ready"), 30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.cond().release();
        }
        assertThat(p.barrier().await(30, TimeUnit.SECONDS)).isIn(0, 1);
    }

    /** What the other side left behind. */
    @SuppressWarnings("unchecked")
    static void checkEffects(Proxies p, String name, String report) {
        assertThat(report).isEqualTo("plain copy [1, 2], counter 5, rlock holds 2, bounded, took 7, barrier " + report.substring(report.length() - 1));
        assertThat(p.dict().get("from")).isEqualTo(name);
        assertThat((List<String>) p.dict().get("nested")).containsExactly("from " + name);
        assertThat(p.dict().get("plain")).isEqualTo(List.of(1));
        assertThat(p.list()).containsExactly(name);
        assertThat(p.ns().get("seen", Boolean.class)).isTrue();
        assertThat(p.value().get()).isEqualTo(42);
        assertThat(p.array().toList()).containsExactly(0, 7, 0);
        assertThat(p.counter().get().value()).isEqualTo(5);
        assertThat(p.lock().isLocked()).isFalse();
        assertThat(p.rlock().isLocked()).isFalse();
        assertThat(p.bsem().getValue()).isEqualTo(1);
        assertThat(p.jqueue().unfinishedTasks()).isZero();
        assertThat(p.barrier().isBroken()).isFalse();
    }

    @ParameterizedTest @MethodSource("methods")
    void everyProxyTypeWorksFromAChildProcess(StartMethod m) throws Exception {
        Proxies p = proxies(manager(m));
        MpProcess child = Multiprocessing.getContext(m).process(ManagerTargets::exerciseInChild, p);
        child.start();
        parentSide(p);
        assertThat(child.join(Duration.ofSeconds(60))).isTrue();
        assertThat(child.exitCode()).isZero();
        checkEffects(p, child.getName(), (String) p.dict().get("report"));
    }

    @ParameterizedTest @MethodSource("methods")
    void everyProxyTypeWorksFromAPoolTask(StartMethod m) throws Exception {
        Proxies p = proxies(manager(m));
        AsyncResult<String> r = pool(m).applyAsync(ManagerTargets::exercise, p);
        parentSide(p);
        String report = r.get(60, TimeUnit.SECONDS);
        checkEffects(p, (String) p.dict().get("from"), report);
        assertThat((String) p.dict().get("from")).isNotEqualTo(Multiprocessing.currentProcess().getName());
    }
}
