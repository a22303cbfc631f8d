package io.mp4j.cluster;

import io.mp4j.ipc.shm.TypeCode;
import io.mp4j.shared.MpLock;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The elements of cluster values and arrays: one entry per element in the atomic, replicated-by-backups cache
 * {@link IgniteSetup#SHARED_CACHE}, its key a number handed out by an atomic sequence (an array takes a run of
 * {@code length} keys), its value the element's bits as a local shared value would store them
 * ({@link TypeCode#bitsOf}). A key never written reads as 0 (zero, false or 0.0 for every type code). Reads and
 * writes of one element are atomic; read-modify-writes are compare-and-set loops on the entry.
 */
final class Cells {
    private Cells() {}

    /** {@code n} fresh keys: the first of them. */
    static long allocate(Ignite ig, int n) {
        return ig.atomicSequence("mp4j-cells", 1, true).getAndAdd(Math.max(1, n));
    }

    static IgniteCache<Long, Long> cache(Ignite ig) {
        IgniteCache<Long, Long> c = ig.cache(IgniteSetup.SHARED_CACHE);
        if (c == null) throw new IllegalStateException("the cluster has no " + IgniteSetup.SHARED_CACHE + " cache: values and arrays live there");
        return c;
    }

    static long get(IgniteCache<Long, Long> c, long key) {
        Long v = c.get(key);
        return v == null ? 0 : v;
    }

    /** Adds {@code delta} (integer type codes of 4 or 8 bytes); returns the previous value. */
    static long getAndAdd(IgniteCache<Long, Long> c, long key, TypeCode t, long delta) {
        t.addToBits(0, 0); // refuses other type codes before anything is read
        while (true) {
            Long cur = c.get(key);
            long bits = cur == null ? 0 : cur;
            long next = t.addToBits(bits, delta);
            if (cur == null ? c.putIfAbsent(key, next) : c.replace(key, cur, next)) return t.longOfBits(bits);
        }
    }

    static boolean compareAndSet(IgniteCache<Long, Long> c, long key, TypeCode t, long expected, long update) {
        long e = t.atomicBits(expected, false), u = t.atomicBits(update, true);
        while (true) {
            Long cur = c.get(key);
            long bits = cur == null ? 0 : cur;
            if (bits != e) return false;
            if (cur == null ? c.putIfAbsent(key, u) : c.replace(key, cur, u)) return true;
        }
    }

    static Map<Long, Long> getAll(IgniteCache<Long, Long> c, long base, int n) {
        Set<Long> keys = new TreeSet<>();
        for (int i = 0; i < n; i++) keys.add(base + i);
        return c.getAll(keys);
    }

    /** The lock of a value or array: {@code true} a new RLock, {@code false} none, or a lock of the cluster. */
    static MpLock lockFor(ClusterContext ctx, Object lock) {
        if (Boolean.TRUE.equals(lock)) return ctx.rlock();
        if (lock == null || Boolean.FALSE.equals(lock)) return null;
        if (lock instanceof ClusterLock || lock instanceof ClusterRLock) return (MpLock) lock;
        throw new IllegalArgumentException("lock must be true, false, or a Lock or RLock of a ClusterContext: lock=" + lock
                + " (" + lock.getClass().getName() + ")");
    }

    static String lockKind(MpLock l) { return l == null ? null : l instanceof ClusterRLock ? "rlock" : "lock"; }

    static String lockName(MpLock l) {
        if (l == null) return null;
        return l instanceof ClusterRLock r ? r.handle().name() : ((ClusterLock) l).handle().name();
    }

    static MpLock attachLock(String kind, String name) {
        if (kind == null) return null;
        return kind.equals("rlock") ? ClusterRLock.attach(new ClusterRLock.Handle(name)) : ClusterLock.attach(new ClusterLock.Handle(name));
    }
}
