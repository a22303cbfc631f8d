package io.mp4j.managers;

import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's side of the synchronization types: {@code Lock}, {@code RLock}, {@code Semaphore},
 * {@code BoundedSemaphore}, {@code Condition}, {@code Event} and {@code Barrier}, with Python's semantics
 * ({@code threading}'s, which a Python manager serves). Each has one {@link ReentrantLock} as its monitor; waits
 * go through {@link Server.Session#awaitSlice}, so that a caller's cancel or death ends them.
 *
 * <p>The caller of an owned lock is named in the call ({@link Caller}: its JVM's random id and its thread id),
 * so that an RLock belongs to the client thread that took it, whichever connection carries its calls.
 */
final class SyncServants {
    private SyncServants() {}

    /** A client thread: its JVM's random id and its thread id. */
    record Caller(long jvm, long thread) {
        static Caller read(WireBuffer in) throws IOException { return new Caller(in.readLong(), in.readLong()); }
    }

    /** A lock that a {@link Condition} can be made over. */
    interface Owned extends Server.Servant {
        int ACQUIRE = 1, RELEASE = 2, LOCKED = 3, HOLD_COUNT = 4;

        /** Takes the lock for {@code c}; false when the deadline passed first. */
        boolean acquire(Caller c, long deadline, Server.Session s);

        void release(Caller c);

        /** Whether {@code c} may wait on or notify a condition over this lock. */
        boolean isOwned(Caller c);

        /** Frees the lock entirely (a condition's wait); returns what {@link #restore} needs to take it back. */
        int releaseAll(Caller c);

        /** Takes the lock back after a condition's wait, whatever it takes (a cancel meanwhile is answered after). */
        void restore(Caller c, int saved, Server.Session s);

        @Override
        default void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            Caller c = Caller.read(in);
            switch (method) {
                case ACQUIRE -> out.writeBoolean(acquire(c, Server.deadline(in.readLong()), s));
                case RELEASE -> release(c);
                case LOCKED -> out.writeBoolean(isLocked());
                case HOLD_COUNT -> out.writeInt(holdCount(c));
                default -> throw DataServants.unknown(getClass().getSimpleName(), method);
            }
        }

        boolean isLocked();

        int holdCount(Caller c);
    }

    /** Python's {@code threading.Lock}: not reentrant; any thread may release it. */
    static final class Lock implements Owned {
        private final ReentrantLock m = new ReentrantLock();
        private final java.util.concurrent.locks.Condition freed = m.newCondition();
        private boolean locked;

        @Override
        public boolean acquire(Caller c, long deadline, Server.Session s) {
            m.lock();
            try {
                while (locked) if (!s.awaitSlice(freed, deadline)) return false;
                locked = true;
                return true;
            } finally {
                m.unlock();
            }
        }

        @Override
        public void release(Caller c) {
            m.lock();
            try {
                if (!locked) throw new IllegalMonitorStateException("release of an unlocked lock");
                locked = false;
                freed.signal();
            } finally {
                m.unlock();
            }
        }

        @Override public boolean isOwned(Caller c) { return isLocked(); }

        @Override
        public boolean isLocked() {
            m.lock();
            try {
                return locked;
            } finally {
                m.unlock();
            }
        }

        @Override public int holdCount(Caller c) { return isLocked() ? 1 : 0; }

        @Override
        public int releaseAll(Caller c) {
            release(c);
            return 1;
        }

        @Override
        public void restore(Caller c, int saved, Server.Session s) { Uncancelled.run(s, () -> acquire(c, Server.NO_DEADLINE, s)); }
    }

    /** Python's {@code threading.RLock}: reentrant, owned by the client thread that took it. */
    static final class RLock implements Owned {
        private final ReentrantLock m = new ReentrantLock();
        private final java.util.concurrent.locks.Condition freed = m.newCondition();
        private Caller owner;
        private int count;

        @Override
        public boolean acquire(Caller c, long deadline, Server.Session s) {
            m.lock();
            try {
                if (c.equals(owner)) {
                    count++;
                    return true;
                }
                while (owner != null) if (!s.awaitSlice(freed, deadline)) return false;
                owner = c;
                count = 1;
                return true;
            } finally {
                m.unlock();
            }
        }

        @Override
        public void release(Caller c) {
            m.lock();
            try {
                if (!c.equals(owner)) {
                    throw new IllegalMonitorStateException(owner == null ? "release of an unlocked RLock"
                            : "cannot release an RLock held by another thread");
                }
                if (--count == 0) {
                    owner = null;
                    freed.signal();
                }
            } finally {
                m.unlock();
            }
        }

        @Override
        public boolean isOwned(Caller c) {
            m.lock();
            try {
                return c.equals(owner);
            } finally {
                m.unlock();
            }
        }

        @Override
        public boolean isLocked() {
            m.lock();
            try {
                return owner != null;
            } finally {
                m.unlock();
            }
        }

        @Override public int holdCount(Caller c) {
            m.lock();
            try {
                return c.equals(owner) ? count : 0;
            } finally {
                m.unlock();
            }
        }

        @Override
        public int releaseAll(Caller c) {
            m.lock();
            try {
                if (!c.equals(owner)) throw new IllegalMonitorStateException("cannot release an RLock held by another thread");
                int saved = count;
                owner = null;
                count = 0;
                freed.signal();
                return saved;
            } finally {
                m.unlock();
            }
        }

        @Override
        public void restore(Caller c, int saved, Server.Session s) {
            Uncancelled.run(s, () -> acquire(c, Server.NO_DEADLINE, s));
            m.lock();
            try {
                count = saved;
            } finally {
                m.unlock();
            }
        }
    }

    /** Runs a wait that a cancel must not end; the cancel, if one came, is thrown afterwards. */
    private static final class Uncancelled {
        static void run(Server.Session s, Runnable wait) {
            boolean cancelled = false;
            for (;;) {
                try {
                    wait.run();
                    break;
                } catch (Server.Cancelled c) {
                    cancelled = true;
                }
            }
            if (cancelled) throw new Server.Cancelled();
        }
    }

    /** Python's {@code Semaphore} and {@code BoundedSemaphore}. */
    static final class Semaphore implements Server.Servant {
        static final int ACQUIRE = 1, RELEASE = 2, VALUE = 3;
        private final ReentrantLock m = new ReentrantLock();
        private final java.util.concurrent.locks.Condition released = m.newCondition();
        private final int bound;
        private int value;

        Semaphore(int value, boolean bounded) {
            if (value < 0) throw new IllegalArgumentException("semaphore initial value must be >= 0: value=" + value);
            this.value = value;
            this.bound = bounded ? value : Integer.MAX_VALUE;
        }

        @Override
        public void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            m.lock();
            try {
                switch (method) {
                    case ACQUIRE -> {
                        long deadline = Server.deadline(in.readLong());
                        boolean got = true;
                        while (value == 0 && got) got = s.awaitSlice(released, deadline);
                        if (got) value--;
                        out.writeBoolean(got);
                    }
                    case RELEASE -> {
                        if (value >= bound) {
                            throw new IllegalStateException("semaphore released too many times: value=" + value + " bound=" + bound);
                        }
                        value++;
                        released.signal();
                    }
                    case VALUE -> out.writeInt(value);
                    default -> throw DataServants.unknown("Semaphore", method);
                }
            } finally {
                m.unlock();
            }
        }
    }

    /** Python's {@code threading.Condition} over a Lock or RLock of the same manager. */
    static final class Condition implements Server.Servant {
        static final int ACQUIRE = 1, RELEASE = 2, WAIT = 3, NOTIFY = 4, HOLD_COUNT = 5;
        private final Owned lock;
        private final ReentrantLock m = new ReentrantLock();
        private final java.util.concurrent.locks.Condition wake = m.newCondition();
        private final ArrayDeque<boolean[]> waiters = new ArrayDeque<>(); // each: {notified}

        Condition(Owned lock) { this.lock = lock; }

        @Override
        public void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            Caller c = Caller.read(in);
            switch (method) {
                case ACQUIRE -> out.writeBoolean(lock.acquire(c, Server.deadline(in.readLong()), s));
                case RELEASE -> lock.release(c);
                case HOLD_COUNT -> out.writeInt(lock.holdCount(c));
                case WAIT -> out.writeBoolean(await(c, in.readLong(), s));
                case NOTIFY -> notify(c, in.readInt());
                default -> throw DataServants.unknown("Condition", method);
            }
        }

        private boolean await(Caller c, long timeout, Server.Session s) {
            if (!lock.isOwned(c)) throw new IllegalMonitorStateException("cannot wait on an un-acquired lock");
            boolean[] me = {false};
            m.lock();
            try {
                waiters.add(me);
            } finally {
                m.unlock();
            }
            int saved = lock.releaseAll(c);
            Server.Cancelled cancelled = null;
            boolean notified;
            m.lock();
            try {
                long deadline = Server.deadline(timeout);
                while (!me[0] && s.awaitSlice(wake, deadline)) {
                    // woken, or a slice passed: looked at again
                }
            } catch (Server.Cancelled x) {
                cancelled = x;
            } finally {
                notified = me[0];
                if (!notified) waiters.remove(me);
                m.unlock();
            }
            // (a caller that is gone has left by now, holding nothing; one that cancelled gets its lock back first,
            // as Java's Condition.await returns holding the lock even when interrupted)
            lock.restore(c, saved, s);
            if (cancelled != null && !notified) throw cancelled;
            return notified;
        }

        private void notify(Caller c, int n) {
            if (!lock.isOwned(c)) throw new IllegalMonitorStateException("cannot notify on an un-acquired lock");
            m.lock();
            try {
                for (int i = 0; i < n && !waiters.isEmpty(); i++) waiters.poll()[0] = true;
                wake.signalAll();
            } finally {
                m.unlock();
            }
        }
    }

    /** Python's {@code threading.Event}. */
    static final class Event implements Server.Servant {
        static final int SET = 1, CLEAR = 2, IS_SET = 3, WAIT = 4;
        private final ReentrantLock m = new ReentrantLock();
        private final java.util.concurrent.locks.Condition changed = m.newCondition();
        private boolean flag;

        @Override
        public void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
            m.lock();
            try {
                switch (method) {
                    case SET -> { flag = true; changed.signalAll(); }
                    case CLEAR -> flag = false;
                    case IS_SET -> out.writeBoolean(flag);
                    case WAIT -> {
                        long deadline = Server.deadline(in.readLong());
                        while (!flag && s.awaitSlice(changed, deadline)) {
                            // looked at again
                        }
                        out.writeBoolean(flag);
                    }
                    default -> throw DataServants.unknown("Event", method);
                }
            } finally {
                m.unlock();
            }
        }
    }

    /** Python's {@code threading.Barrier} (no action): filling, draining, resetting, broken. */
    static final class Barrier implements Server.Servant {
        static final int WAIT = 1, RESET = 2, ABORT = 3, PARTIES = 4, N_WAITING = 5, BROKEN = 6;
        private static final int FILLING = 0, DRAINING = 1, RESETTING = -1, BROKEN_STATE = -2;
        private final ReentrantLock m = new ReentrantLock();
        private final java.util.concurrent.locks.Condition changed = m.newCondition();
        private final int parties;
        private final long defaultTimeout;
        private int state = FILLING, count;

        Barrier(int parties, long defaultTimeout) {
            if (parties < 1) throw new IllegalArgumentException("a barrier needs at least one party: parties=" + parties);
            this.parties = parties;
            this.defaultTimeout = defaultTimeout;
        }

        @Override
        public void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws Exception {
            m.lock();
            try {
                switch (method) {
                    case WAIT -> {
                        long timeout = in.readLong();
                        boolean explicit = in.readBoolean();
                        out.writeInt(await(explicit ? timeout : defaultTimeout, explicit, s));
                    }
                    case RESET -> {
                        if (count > 0) {
                            if (state == FILLING || state == BROKEN_STATE) state = RESETTING;
                        } else {
                            state = FILLING;
                        }
                        changed.signalAll();
                    }
                    case ABORT -> breakIt();
                    case PARTIES -> out.writeInt(parties);
                    case N_WAITING -> out.writeInt(state == FILLING ? count : 0);
                    case BROKEN -> out.writeBoolean(state == BROKEN_STATE);
                    default -> throw DataServants.unknown("Barrier", method);
                }
            } finally {
                m.unlock();
            }
        }

        /** Python's {@code Barrier.wait}; called holding {@code m}. */
        private int await(long timeout, boolean explicit, Server.Session s) throws BrokenBarrierException, TimeoutException {
            long deadline = Server.deadline(timeout);
            while (state == DRAINING || state == RESETTING) s.awaitSlice(changed, Server.NO_DEADLINE);
            if (state == BROKEN_STATE) throw new BrokenBarrierException("the barrier is broken");
            int index = count++;
            try {
                if (index + 1 == parties) {
                    state = DRAINING;
                    changed.signalAll();
                } else {
                    boolean inTime = true;
                    while (state == FILLING && inTime) inTime = s.awaitSlice(changed, deadline);
                    if (!inTime) {
                        breakIt();
                        if (explicit) throw new TimeoutException("timed out waiting at the barrier (it is now broken)");
                        throw new BrokenBarrierException("timed out waiting at the barrier");
                    }
                    if (state < 0) throw new BrokenBarrierException(state == RESETTING ? "the barrier was reset" : "the barrier is broken");
                }
                return index;
            } catch (Server.Cancelled | Server.Gone e) {
                breakIt(); // an interrupted party breaks the barrier, as in Java's CyclicBarrier
                throw e;
            } finally {
                if (--count == 0 && (state == RESETTING || state == DRAINING)) {
                    state = FILLING;
                    changed.signalAll();
                }
            }
        }

        private void breakIt() {
            state = BROKEN_STATE;
            changed.signalAll();
        }
    }
}
