package io.mp4j.core.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runs next and what is outstanding; no I/O and no threads (the pool calls it holding its lock).
 *
 * <p>Jobs wait in submission order as ranges of items not yet handed out ({@link #add}). {@link #next} cuts the
 * oldest range into a task of at most {@code chunksize} items (and at most {@code maxItemsPerTask}: one item under
 * a task timeout, {@code maxTasksPerChild} items with that limit, so that no worker runs past it), gives it an id,
 * and counts it outstanding until {@link #finished}. A task that its worker left behind unfinished either fails
 * ({@link #finished}: the worker died running it) or goes back to the front ({@link #requeue}: the pool ended the
 * worker for another task's sake). Cancelling a job drops its ranges and hands back its outstanding tasks.
 */
final class Dispatcher {
    /** A range of a job's items not yet handed out. */
    private static final class Range {
        final Batch batch;
        int from;
        final int to;

        Range(Batch batch, int from, int to) {
            this.batch = batch;
            this.from = from;
            this.to = to;
        }
    }

    /**
     * A task: items {@code from .. to-1} of a job. {@code position} is where the pool published it
     * (-1 before), for taking it back while it is not claimed.
     */
    static final class Task {
        final long id;
        final Batch batch;
        final int from;
        final int to;
        long position = -1;

        Task(long id, Batch batch, int from, int to) {
            this.id = id;
            this.batch = batch;
            this.from = from;
            this.to = to;
        }

        int items() { return to - from; }

        @Override public String toString() { return "task " + id + ": " + batch.describe(from, to); }
    }

    private final int maxItemsPerTask;
    private final ArrayDeque<Range> waiting = new ArrayDeque<>();
    private final Map<Long, Task> outstanding = new HashMap<>();
    private long lastId;
    private long waitingItems;

    /** @param maxItemsPerTask the most items one task may hold, whatever a job's chunksize (at least 1) */
    Dispatcher(int maxItemsPerTask) {
        if (maxItemsPerTask < 1) throw new IllegalArgumentException("maxItemsPerTask must be at least 1: maxItemsPerTask=" + maxItemsPerTask);
        this.maxItemsPerTask = maxItemsPerTask;
    }

    /** Queues every item of {@code b} behind what waits already. */
    void add(Batch b) {
        if (b.size() == 0) return;
        waiting.addLast(new Range(b, 0, b.size()));
        waitingItems += b.size();
    }

    /** The next task, now outstanding; null when nothing waits. */
    Task next() {
        while (!waiting.isEmpty()) {
            Range r = waiting.peekFirst();
            if (r.batch.isCancelled()) {
                drop(waiting.pollFirst());
                continue;
            }
            int k = Math.min(r.to - r.from, Math.min(r.batch.chunksize(), maxItemsPerTask));
            Task t = new Task(++lastId, r.batch, r.from, r.from + k);
            r.from += k;
            waitingItems -= k;
            if (r.from == r.to) waiting.pollFirst();
            outstanding.put(t.id, t);
            return t;
        }
        return null;
    }

    /** A task that could not be published after all goes back to the front, as it was. */
    void putBack(Task t) {
        outstanding.remove(t.id);
        Range head = waiting.peekFirst();
        if (head != null && head.batch == t.batch && head.from == t.to) head.from = t.from;
        else waiting.addFirst(new Range(t.batch, t.from, t.to));
        waitingItems += t.items();
    }

    /** The outstanding task {@code id}, removed: its result came, or it failed. Null when it is not outstanding. */
    Task finished(long id) { return outstanding.remove(id); }

    /** The outstanding task {@code id}, still outstanding; null when it is not. */
    Task outstanding(long id) { return outstanding.get(id); }

    /** An outstanding task whose worker was ended for another reason than the task goes back to the front. */
    boolean requeue(long id) {
        Task t = outstanding.remove(id);
        if (t == null || t.batch.isCancelled()) return false;
        waiting.addFirst(new Range(t.batch, t.from, t.to));
        waitingItems += t.items();
        return true;
    }

    /** Drops what waits of {@code b} and returns its outstanding tasks, no longer outstanding. */
    List<Task> cancel(Batch b) {
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Range r = it.next();
            if (r.batch == b) {
                it.remove();
                drop(r);
            }
        }
        List<Task> out = new ArrayList<>();
        for (var it = outstanding.values().iterator(); it.hasNext(); ) {
            Task t = it.next();
            if (t.batch == b) {
                out.add(t);
                it.remove();
            }
        }
        return out;
    }

    /**
     * The jobs not cancelled none of whose items has finished: every item waits or is outstanding (whether an
     * outstanding one has started is for the caller to find out).
     */
    List<Batch> unfinished() {
        Map<Batch, Integer> items = new java.util.LinkedHashMap<>();
        for (Range r : waiting) items.merge(r.batch, r.to - r.from, Integer::sum);
        for (Task t : outstanding.values()) items.merge(t.batch, t.items(), Integer::sum);
        List<Batch> out = new ArrayList<>();
        for (var e : items.entrySet()) if (!e.getKey().isCancelled() && e.getValue() == e.getKey().size()) out.add(e.getKey());
        return out;
    }

    /** Every outstanding task. */
    List<Task> outstanding() { return new ArrayList<>(outstanding.values()); }

    /** The outstanding tasks of {@code b}. */
    List<Task> outstandingOf(Batch b) {
        List<Task> out = new ArrayList<>();
        for (Task t : outstanding.values()) if (t.batch == b) out.add(t);
        return out;
    }

    /** Every job with items waiting or outstanding, each once, in no particular order; everything is forgotten. */
    Set<Batch> clear() {
        Set<Batch> all = new LinkedHashSet<>();
        for (Range r : waiting) all.add(r.batch);
        for (Task t : outstanding.values()) all.add(t.batch);
        waiting.clear();
        outstanding.clear();
        waitingItems = 0;
        return all;
    }

    /** Items waiting to be handed out. */
    long waitingItems() { return waitingItems; }

    /** Tasks handed out and not finished. */
    int outstandingTasks() { return outstanding.size(); }

    /** True when nothing waits and nothing is outstanding. */
    boolean isEmpty() { return waiting.isEmpty() && outstanding.isEmpty(); }

    private void drop(Range r) { waitingItems -= r.to - r.from; }
}
