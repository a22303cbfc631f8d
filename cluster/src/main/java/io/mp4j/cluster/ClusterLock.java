package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.shared.MpLock;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteInterruptedException;
import org.apache.ignite.lang.IgniteBiPredicate;

import javax.cache.CacheException;

import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Python's {@code Lock} on a cluster: one entry of the cluster's atomic cache {@code mp4j-shared} (backed up like
 * every structure), its key the lock's name, its value the holder's token ({@code <node id>/<random>}, the node whose
 * thread took it), absent when free. Any thread of any process of the cluster may release it, as in Python (an
 * {@code IgniteLock} belongs to a node's thread, which a Python {@code Lock} does not).
 *
 * <p><b>A holder's death.</b> A lock whose holder's node has left the cluster (killed, stopped, or cut off past the
 * failure detection timeout) is free: the next acquirer or waiter replaces the dead token by its own, a
 * compare-and-set, so exactly one gets it. An acquirer keeps its token for the whole call, so that an update whose
 * reply was lost with a node is recognised as done when the entry is read again.
 *
 * <p><b>Waiting.</b> A release sends a message on the lock's topic to every node; waiters in a JVM listen to it
 * (one listener while any waits) and ask again when it comes, and at least every half second (a death sends
 * nothing, and a message may be lost with a node). Releasing a free lock throws {@link IllegalStateException}; two
 * releases racing on a held lock may both pass (the check and the removal are two calls).
 *
 * <p>Not built on {@code IgniteSemaphore(1)}: its failover counts permits per node as taken minus released there, so
 * once a lock is released on another node than the one that took it, a node that dies holding it may give nothing
 * back and one that dies not holding it may give back a permit it does not hold (docs/journal/2026-12-07-cluster-lock.md).
 *
 * <p>A {@link io.mp4j.shared.MpCondition} cannot wait on it (Ignite's conditions belong to its reentrant lock): make
 * conditions over an {@link ClusterRLock}. Interrupts as {@link MpLock}. Travels as its name.
 */
public final class ClusterLock implements MpLock, Shareable {
    /**
     * What travels: the lock's name.
     *
     * @param name its key in the lock cache
     */
    public record Handle(String name) {}

    /** Sends the release messages, so that a release never waits for a node that died but is not yet known dead. */
    private static final ThreadPoolExecutor TELLERS = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> Thread.ofPlatform().daemon(true).name("mp4j-cluster-lock-release").unstarted(r));

    private final String name;
    private final String topic;
    private volatile Ignite ignite;
    // local waiters: guarded by waitLock; the listener is registered while waiting > 0
    private final ReentrantLock waitLock = new ReentrantLock();
    private final Condition released = waitLock.newCondition();
    private long releases;
    private int waiting;
    private final IgniteBiPredicate<UUID, Object> listener = (from, msg) -> {
        waitLock.lock();
        try {
            releases++;
            released.signalAll();
        } finally {
            waitLock.unlock();
        }
        return true;
    };

    private ClusterLock(String name, Ignite ignite) {
        this.name = name;
        this.topic = "mp4j-lock-released:" + name;
        this.ignite = ignite;
    }

    static ClusterLock create(ClusterContext ctx) {
        ClusterLock l = new ClusterLock(Grids.newName("lock"), ctx.ignite());
        ctx.made(() -> l.cache().remove(l.name));
        return l;
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterLock attach(Handle h) { return new ClusterLock(h.name(), null); }

    /**
     * What travels for this object (the codec encodes it so).
     *
     * @return its handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name); }

    private Ignite ignite() {
        Ignite ig = ignite;
        if (ig == null) {
            ig = Grids.current();
            ignite = ig;
        }
        return ig;
    }

    /** The shared cache, where a lock's key is its name (never a number, as the keys of values are). */
    private IgniteCache<String, String> cache() {
        IgniteCache<String, String> c = ignite().cache(IgniteSetup.SHARED_CACHE);
        if (c == null) throw new IllegalStateException("the cluster has no " + IgniteSetup.SHARED_CACHE + " cache: locks live there");
        return c;
    }

    /** A token for one acquiring call: this node's id, and a random part that tells this call's update from others'. */
    private String newToken() { return ignite().cluster().localNode().id() + "/" + UUID.randomUUID(); }

    /** Whether the node of {@code token} is still in the cluster. */
    private boolean alive(String token) {
        int slash = token.indexOf('/');
        return ignite().cluster().node(UUID.fromString(slash < 0 ? token : token.substring(0, slash))) != null;
    }

    /**
     * Takes the lock for {@code token} if it is free or its holder's node has left; true also when an earlier try with
     * the same token took it (a reply lost with a node).
     */
    private boolean tryTake(String token) {
        IgniteCache<String, String> c = cache();
        try {
            if (c.putIfAbsent(name, token)) return true;
            String cur = c.get(name);
            if (cur == null) return c.putIfAbsent(name, token);
            if (cur.equals(token)) return true;
            return !alive(cur) && c.replace(name, cur, token);
        } catch (CacheException | IgniteException e) {
            // a node left during the update: its outcome is known only by reading the entry again
            return token.equals(c.get(name));
        }
    }

    @Override public void lock() {
        try {
            acquire(-1, false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override public void lockInterruptibly() throws InterruptedException { acquire(-1, true); }

    @Override public boolean tryLock() { return tryTake(newToken()); }

    @Override public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return acquire(Math.max(0, unit.toNanos(time)), true);
    }

    /**
     * Takes the lock within {@code nanos} ({@code < 0}: no limit). Not {@code interruptible}: an interrupt is
     * remembered and set again on return.
     */
    private boolean acquire(long nanos, boolean interruptible) throws InterruptedException {
        if (interruptible && Thread.interrupted()) throw new InterruptedException();
        String token = newToken();
        if (tryTake(token)) return true;
        if (nanos == 0) return false;
        long deadline = System.nanoTime() + nanos;
        boolean interrupted = false;
        startWaiting();
        try {
            while (true) {
                long seen = releasesSeen();
                if (tryTake(token)) return true;
                long left = nanos < 0 ? Waits.SLICE_NANOS : deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    awaitRelease(seen, Math.min(left, Waits.SLICE_NANOS));
                } catch (InterruptedException e) {
                    if (interruptible) throw e;
                    interrupted = true;
                }
            }
        } finally {
            stopWaiting();
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private void startWaiting() {
        waitLock.lock();
        try {
            if (waiting++ == 0) ignite().message().localListen(topic, listener);
        } finally {
            waitLock.unlock();
        }
    }

    private void stopWaiting() {
        waitLock.lock();
        try {
            if (--waiting == 0) ignite().message().stopLocalListen(topic, listener);
        } finally {
            waitLock.unlock();
        }
    }

    private long releasesSeen() {
        waitLock.lock();
        try {
            return releases;
        } finally {
            waitLock.unlock();
        }
    }

    /** Waits until a release message came after {@code seen}, at most {@code nanos}. */
    private void awaitRelease(long seen, long nanos) throws InterruptedException {
        waitLock.lock();
        try {
            while (releases == seen && nanos > 0) nanos = released.awaitNanos(nanos);
        } finally {
            waitLock.unlock();
        }
    }

    /**
     * Frees the lock, whoever took it (Python's {@code release()}), and tells the waiters of every node.
     *
     * @throws IllegalStateException when the lock is not held
     */
    @Override public void unlock() {
        IgniteCache<String, String> c = cache();
        while (true) {
            String cur = c.get(name);
            if (cur == null) throw new IllegalStateException("release unlocked lock: " + this);
            boolean removed;
            try {
                removed = c.remove(name, cur);
            } catch (CacheException | IgniteException e) {
                removed = false; // a node left during the update: read the entry again
            }
            // not removed: another release, or a taker after a death, or an update whose reply was lost; look again
            if (removed || c.get(name) == null) break;
        }
        Ignite ig = ignite();
        TELLERS.execute(() -> {
            try {
                ig.message().send(topic, name);
            } catch (RuntimeException e) {
                // a node left while it was told, or this node stops: waiters ask again within a slice anyway
            }
        });
    }

    /** True while a node of the cluster holds it (the lock of a node that left is free). */
    @Override public boolean isLocked() {
        String cur = cache().get(name);
        return cur != null && alive(cur);
    }

    /** Unsupported: conditions on a cluster need an RLock ({@link ClusterContext#condition(MpLock)}). */
    @Override public Condition newCondition() {
        throw new UnsupportedOperationException("a cluster Lock has no conditions (Ignite's conditions belong to its reentrant lock): use ctx.condition() (over an RLock)");
    }

    static InterruptedException interrupted(IgniteInterruptedException e) {
        InterruptedException ie = new InterruptedException("interrupted while waiting on the cluster");
        ie.initCause(e);
        return ie;
    }

    @Override public boolean equals(Object o) { return o instanceof ClusterLock l && l.name.equals(name); }

    @Override public int hashCode() { return name.hashCode(); }

    @Override public String toString() { return "<ClusterLock " + name + ">"; }
}
