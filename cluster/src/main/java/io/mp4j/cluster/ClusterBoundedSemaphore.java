package io.mp4j.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.shared.MpBoundedSemaphore;
import org.apache.ignite.IgniteSemaphore;

/**
 * Python's {@code BoundedSemaphore} on a cluster: a {@link ClusterSemaphore} whose release above its initial value
 * throws {@link IllegalStateException}. The check and the release are two cluster calls: two releases racing at the
 * bound may both pass it (a misuse that Python reports exactly).
 */
public final class ClusterBoundedSemaphore extends ClusterSemaphore implements MpBoundedSemaphore {
    private final int bound;

    private ClusterBoundedSemaphore(String name, IgniteSemaphore sem, int bound) {
        super(name, sem);
        this.bound = bound;
    }

    static ClusterBoundedSemaphore create(ClusterContext ctx, int value) {
        String n = Grids.newName("bsemaphore");
        return new ClusterBoundedSemaphore(n, newSemaphore(ctx, n, value), value);
    }

    /**
     * The object a handle names, attached in this JVM (the codec decodes it so).
     *
     * @param h what travelled
     * @return the object
     */
    @JsonCreator
    public static ClusterBoundedSemaphore attach(Handle h) { return new ClusterBoundedSemaphore(h.name(), null, h.bound()); }

    @Override @JsonValue
    public Handle handle() { return new Handle(name, bound); }

    @Override public int bound() { return bound; }

    /** @throws IllegalStateException when the value is at its bound already */
    @Override public void release() {
        IgniteSemaphore s = sem();
        int v = s.availablePermits();
        if (v >= bound) throw new IllegalStateException("semaphore released too many times: value=" + v + " bound=" + bound);
        s.release();
    }
}
