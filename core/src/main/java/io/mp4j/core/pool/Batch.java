package io.mp4j.core.pool;

import io.mp4j.ipc.codec.CodecException;
import io.mp4j.worker.pool.WireBuffer;

import java.util.Arrays;

/**
 * One submission: a single call ({@code apply}) or all items of a {@code map}, with each item's arguments
 * encoded once, in the caller, into one buffer. The engine sends ranges of items (chunks) as tasks and
 * reports every item exactly once to the sink, unless the batch was cancelled first.
 */
public final class Batch {
    final FunctionTable.Entry fn;
    final WireBuffer args;
    final int[] offsets; // item i spans [offsets[i], offsets[i+1])
    final int size;
    final int chunksize;
    final long timeoutNanos;
    final ResultSink sink;
    volatile boolean cancelled;
    /** Estimated run time of one item (exponential average), or -1 before the first result of its function. */
    volatile long itemNanos = -1;

    private Batch(FunctionTable.Entry fn, WireBuffer args, int[] offsets, int size, int chunksize, long timeoutNanos, ResultSink sink) {
        this.fn = fn;
        this.args = args;
        this.offsets = offsets;
        this.size = size;
        this.chunksize = chunksize;
        this.timeoutNanos = timeoutNanos;
        this.sink = sink;
        this.itemNanos = fn.itemNanos().get();
    }

    /**
     * Encodes every item's arguments now, so that what cannot travel fails in the caller, naming the item.
     *
     * @param fn the function
     * @param items each item's arguments
     * @param expected how many items there are (a sizing hint)
     * @param chunksize items per task
     * @param timeoutNanos an item's time limit (0: none)
     * @param sink where the results go
     * @return the batch
     * @throws IllegalArgumentException naming the item whose arguments cannot travel
     */
    public static Batch encode(FunctionTable.Entry fn, Iterable<Object[]> items, int expected, int chunksize, long timeoutNanos, ResultSink sink) {
        WireBuffer buf = new WireBuffer(Math.max(64, expected * 8));
        int[] off = new int[Math.max(2, expected + 1)];
        int n = 0;
        for (Object[] a : items) {
            try {
                fn.ref().checkArgs(a);
                fn.ref().writeArgs(buf, a);
            } catch (CodecException | IllegalArgumentException e) {
                throw new IllegalArgumentException("item " + n + " cannot be sent to a worker: " + e.getMessage(), e);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            n++;
            if (n + 1 > off.length) off = Arrays.copyOf(off, off.length * 2);
            off[n] = buf.size();
        }
        return new Batch(fn, buf, off, n, Math.max(1, chunksize), timeoutNanos, sink);
    }

    /**
     * The number of items.
     *
     * @return the number
     */
    public int size() { return size; }

    /**
     * Where the results go.
     *
     * @return the sink
     */
    public ResultSink sink() { return sink; }

    /**
     * Whether the batch was cancelled.
     *
     * @return whether it was
     */
    public boolean isCancelled() { return cancelled; }

    int bytes(int from, int to) { return offsets[to] - offsets[from]; }

    /** What a task of this batch calls, for messages. */
    String describe(int from, int to) {
        String f = fn.ref().describe();
        return to - from == 1 ? f + " (item " + from + ")" : f + " (items " + from + "-" + (to - 1) + ")";
    }
}
