package io.mp4j.core.pool;

import io.mp4j.ipc.ring.WorkProducer;
import io.mp4j.ipc.ring.WorkQueue;
import io.mp4j.ipc.ring.WorkQueueLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pool's workers: who they are, which work-queue entry each holds, how many there are in each state, and the
 * counts of workers started and replaced. A worker holds its entry from the moment it is made until its process has
 * ended and its replies were read ({@link #remove}); the entry is then opened afresh for the next worker. Guarded by
 * the pool's lock, but for {@link #byEntry}, which the result reader reads without it.
 */
final class WorkerRoster {
    private final WorkQueue queue;
    private final WorkProducer producer;
    private final String prefix;
    private final List<WorkerSlot> slots = new ArrayList<>();
    private volatile WorkerSlot[] byEntry;
    private int started;
    private int owed; // workers that stopped counting while the pool went on: the next ones made replace them
    private long replaced;

    WorkerRoster(WorkQueue queue, WorkProducer producer, String prefix) {
        this.queue = queue;
        this.producer = producer;
        this.prefix = prefix;
        this.byEntry = new WorkerSlot[queue.consumers()];
    }

    /** The workers by queue entry (null where none): a snapshot, safe to read without the lock. */
    WorkerSlot[] byEntry() { return byEntry; }

    /** A copy of the workers, in the order they were made. */
    List<WorkerSlot> all() { return List.copyOf(slots); }

    /**
     * Makes workers (WAITING) until {@code target} count as active; stops early when every queue entry is held by a
     * worker still ending (a later exit makes room).
     */
    void fill(int target) {
        int active = count(true, false);
        while (active < target) {
            int entry = freeEntry();
            if (entry < 0) return;
            WorkerSlot w = new WorkerSlot(++started, prefix + started, entry, producer.open(entry));
            slots.add(w);
            publish();
            if (owed > 0) {
                owed--;
                replaced++;
            }
            active++;
        }
    }

    /** Starts waiting workers, oldest first, while {@code throttle} allows, with {@code waiting} tasks unclaimed. */
    void startWaiting(StartThrottle throttle, long waiting, Consumer<WorkerSlot> start) {
        int starting = 0, startedOrUp = 0;
        for (WorkerSlot w : slots) {
            if (w.state() == WorkerSlot.State.STARTING) starting++;
            if (w.state() == WorkerSlot.State.STARTING || w.state() == WorkerSlot.State.READY) startedOrUp++;
        }
        for (WorkerSlot w : slots) {
            if (w.state() != WorkerSlot.State.WAITING) continue;
            if (!throttle.mayStart(starting, startedOrUp, waiting)) return;
            w.launch();
            starting++;
            startedOrUp++;
            start.accept(w);
        }
    }

    /**
     * Takes {@code w} out of the count (GONE). {@code byPool}: the pool ends it; its entry is given up at once (it
     * claims and replies no more, even if it outlives the kill: a THREAD worker) and its process is killed. While the
     * pool goes on ({@code replace}), a replacement is owed. A worker that never started is handed to
     * {@code neverStarted} (nothing else would report its end).
     */
    void end(WorkerSlot w, boolean byPool, boolean replace, Consumer<WorkerSlot> neverStarted) {
        boolean counted = w.isActive();
        boolean waiting = w.state() == WorkerSlot.State.WAITING;
        if (!w.gone(byPool)) return;
        if (counted && replace) owed++;
        if (byPool) {
            producer.release(w.consumer);
            w.kill();
        }
        if (waiting) neverStarted.accept(w);
    }

    /** It takes no more tasks: a replacement is owed while the pool goes on. */
    void retiring(WorkerSlot w, String reason, boolean replace) {
        boolean counted = w.isActive();
        if (w.retiring(reason) && counted && replace) owed++;
    }

    /** Forgets a worker whose process ended and whose replies were read: its entry is free for the next. */
    void remove(WorkerSlot w) {
        producer.release(w.consumer);
        slots.remove(w);
        publish();
    }

    /** The worker whose queue entry says it runs task {@code id}, or null. */
    WorkerSlot running(long id) {
        for (WorkerSlot w : slots) if (w.state() != WorkerSlot.State.GONE && queue.running(w.consumer) == id) return w;
        return null;
    }

    /** Workers that count as active (waiting, starting or ready), or ({@code activeOnly} false) that are not gone. */
    int count(boolean activeOnly, boolean readyOnly) {
        int n = 0;
        for (WorkerSlot w : slots) {
            if (readyOnly ? w.state() == WorkerSlot.State.READY : activeOnly ? w.isActive() : w.state() != WorkerSlot.State.GONE) n++;
        }
        return n;
    }

    /** Active workers that can take a task now or soon: waiting, starting, or ready and idle in the queue. */
    int idleOrStarting() {
        int n = 0;
        for (WorkerSlot w : slots) {
            if (w.isActive() && (w.state() != WorkerSlot.State.READY || queue.state(w.consumer) == WorkQueueLayout.IDLE)) n++;
        }
        return n;
    }

    /** The pids of the workers that said hello and have not gone. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (WorkerSlot w : slots) if (w.state() == WorkerSlot.State.READY || w.state() == WorkerSlot.State.RETIRING) pids.add(w.pid());
        return pids;
    }

    /** True when no worker's process is left (every worker was removed). */
    boolean isEmpty() { return slots.isEmpty(); }

    int started() { return started; }

    long replaced() { return replaced; }

    private int freeEntry() {
        WorkerSlot[] by = byEntry;
        for (int i = 0; i < by.length; i++) if (by[i] == null) return i;
        return -1;
    }

    private void publish() {
        WorkerSlot[] by = new WorkerSlot[byEntry.length];
        for (WorkerSlot w : slots) by[w.consumer] = w;
        byEntry = by;
    }
}
