package io.mp4j.core.pool;

import io.mp4j.ipc.codec.CodecException;
import io.mp4j.spi.Job;
import io.mp4j.spi.ResultSink;
import io.mp4j.ipc.wire.WireBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The library's {@link Job}: a single call or the items of a map, each item's arguments encoded once, in the
 * caller, into one buffer ({@link #encode}).
 */
public final class Batch implements Job {
    final FunctionTable.Entry fn;
    final WireBuffer args;
    final int[] offsets; // item i spans [offsets[i], offsets[i+1])
    final int size;
    final int chunksize;
    final int firstIndex;
    final ResultSink sink;
    private volatile boolean cancelled;

    private Batch(FunctionTable.Entry fn, WireBuffer args, int[] offsets, int size, int chunksize, int firstIndex, ResultSink sink) {
        this.fn = fn;
        this.args = args;
        this.offsets = offsets;
        this.size = size;
        this.chunksize = chunksize;
        this.firstIndex = firstIndex;
        this.sink = sink;
    }

    /**
     * Encodes every item's arguments now, so that what cannot travel fails in the caller, naming the item.
     *
     * @param fn the function every item calls
     * @param items each item's arguments
     * @param expected how many items there are likely to be (a sizing hint)
     * @param chunksize items per task, at least 1 (less is taken as 1)
     * @param firstIndex the sink index of the first item
     * @param sink where the items' outcomes go
     * @return the job, not yet submitted
     * @throws IllegalArgumentException naming the first item that cannot be sent (its index counted from {@code firstIndex})
     */
    public static Batch encode(FunctionTable.Entry fn, Iterable<Object[]> items, int expected, int chunksize, int firstIndex, ResultSink sink) {
        Encoder e = new Encoder(fn, expected);
        for (Object[] a : items) e.add(a, firstIndex + e.count());
        return e.finish(chunksize, firstIndex, sink);
    }

    /** Encodes items one at a time (an {@code imap} that must go on past an item that cannot travel). */
    public static final class Encoder {
        private final FunctionTable.Entry fn;
        private final WireBuffer buf;
        private int[] off;
        private int n;

        /**
         * An encoder of arguments for {@code fn}.
         *
         * @param fn the function every item calls
         * @param expected how many items there are likely to be (a sizing hint)
         */
        public Encoder(FunctionTable.Entry fn, int expected) {
            this.fn = fn;
            this.buf = new WireBuffer(Math.max(64, expected * 8));
            this.off = new int[Math.max(2, expected + 1)];
        }

        /**
         * Adds an item; on failure nothing is added.
         *
         * @param a the item's arguments
         * @param index the item's index, for the message
         * @throws IllegalArgumentException naming item {@code index}, when its arguments do not fit or cannot travel
         */
        public void add(Object[] a, int index) {
            int mark = buf.size();
            try {
                fn.ref().checkArgs(a);
                fn.ref().writeArgs(buf, a);
            } catch (CodecException | IllegalArgumentException e) {
                buf.setSize(mark);
                throw new IllegalArgumentException("item " + index + " cannot be sent to a worker: " + e.getMessage(), e);
            } catch (java.io.IOException e) {
                buf.setSize(mark);
                throw new IllegalStateException(e);
            }
            n++;
            if (n + 1 > off.length) off = Arrays.copyOf(off, off.length * 2);
            off[n] = buf.size();
        }

        /** {@return the number of items added} */
        public int count() { return n; }

        /**
         * The job of the items added so far.
         *
         * @param chunksize items per task, at least 1 (less is taken as 1)
         * @param firstIndex the sink index of the first item added
         * @param sink where the items' outcomes go
         * @return the job, not yet submitted
         */
        public Batch finish(int chunksize, int firstIndex, ResultSink sink) {
            return new Batch(fn, buf, off, n, Math.max(1, chunksize), firstIndex, sink);
        }
    }

    @Override public FunctionTable.Entry function() { return fn; }

    @Override public int size() { return size; }

    @Override public int chunksize() { return chunksize; }

    @Override public int firstIndex() { return firstIndex; }

    @Override public ByteBuffer args(int from, int to) {
        return ByteBuffer.wrap(args.array(), offsets[from], offsets[to] - offsets[from]).asReadOnlyBuffer();
    }

    @Override public ResultSink sink() { return sink; }

    @Override public boolean isCancelled() { return cancelled; }

    @Override public boolean markCancelled() {
        if (cancelled) return false;
        cancelled = true;
        return true;
    }

    int bytes(int from, int to) { return offsets[to] - offsets[from]; }

    /** The buffer holding every item's arguments; item {@code i} starts at {@link #offset}{@code (i)}. */
    byte[] argsArray() { return args.array(); }

    int offset(int i) { return offsets[i]; }

    @Override public String describe(int from, int to) {
        String f = fn.describe();
        int a = firstIndex + from, b = firstIndex + to - 1;
        return a == b ? f + " (item " + a + ")" : f + " (items " + a + "-" + b + ")";
    }
}
