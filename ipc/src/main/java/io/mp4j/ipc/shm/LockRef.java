package io.mp4j.ipc.shm;

import io.mp4j.ipc.sync.Lock;
import io.mp4j.ipc.sync.RLock;
import io.mp4j.ipc.sync.SharedLock;

/** A Value's or Array's lock as it travels: kind ("Lock", "RLock", or null for none), path, offset. */
record LockRef(String kind, String path, long offset) {
    static LockRef of(SharedLock lock) {
        return switch (lock) {
            case null -> new LockRef(null, null, 0);
            case Lock l -> new LockRef("Lock", l.handle().path(), l.handle().offset());
            case RLock r -> new LockRef("RLock", r.handle().path(), r.handle().offset());
        };
    }

    SharedLock attach() {
        if (kind == null) return null;
        return "RLock".equals(kind) ? RLock.attach(new RLock.Handle(path, offset)) : Lock.attach(new Lock.Handle(path, offset));
    }

    /**
     * Resolves Python's {@code lock} argument: true (a new RLock inside the object's own segment, at
     * {@code lockOffset}), false or null (none), or an existing Lock/RLock.
     */
    static SharedLock resolve(Object lock, Segment own, long lockOffset) {
        return switch (lock) {
            case null -> null;
            case Boolean b -> b ? RLock.at(own, lockOffset) : null;
            case SharedLock l -> l;
            default -> throw new IllegalArgumentException("lock must be true, false, a Lock or an RLock: lock="
                    + lock + " (" + lock.getClass().getName() + ")");
        };
    }

    static void check(Object lock) { resolveCheck(lock); }

    private static void resolveCheck(Object lock) {
        if (lock == null || lock instanceof Boolean || lock instanceof SharedLock) return;
        throw new IllegalArgumentException("lock must be true, false, a Lock or an RLock: lock=" + lock
                + " (" + lock.getClass().getName() + ")");
    }
}
