package io.mp4j.ipc.sync;

/**
 * Thrown by a lock's acquire when the process that held it died without releasing it: the calling thread
 * <em>now holds the lock</em> (as after a normal acquire; for an RLock with a count of one) and must release
 * it. The data the lock protected may be half-updated: check it before going on.
 */
public final class OwnerDiedException extends IllegalStateException {
    /** The pid of the process that died holding the lock. */
    private final long deadPid;

    /**
     * Reports that the holder of {@code what} died; the caller holds the lock now.
     *
     * @param deadPid the pid of the process that died holding the lock
     * @param what the lock, for the message
     */
    public OwnerDiedException(long deadPid, String what) {
        super("the process that held this " + what + " died without releasing it: pid=" + deadPid
                + "; the calling thread now holds it (check the state it protects, then release it)");
        this.deadPid = deadPid;
    }

    /**
     * The pid of the process that died holding the lock.
     *
     * @return the pid
     */
    public long deadPid() { return deadPid; }
}
