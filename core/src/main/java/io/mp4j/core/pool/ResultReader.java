package io.mp4j.core.pool;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.ring.ReplyReader;
import io.mp4j.worker.pool.PoolMessages;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The pool's one reader thread: it waits for workers' replies (spin, then futex), reads them, decodes results and
 * hands each item's outcome to its job's sink, and tells the pool what else a worker said. A worker's exit, reported
 * by its process handle on another thread, is handled here too, after the last of its replies was read, so that a
 * task whose result had already been sent is never failed for the worker's death.
 */
final class ResultReader implements Runnable {
    /** What the reader tells the pool; the pool takes its own lock in each. */
    interface Pool {
        /** The workers by consumer entry (null where none); read without the pool's lock. */
        WorkerSlot[] workers();

        void hello(WorkerSlot w, long pid);

        /** The outstanding task {@code id}, no longer outstanding; null when it is not (cancelled, failed already). */
        Dispatcher.Task finished(WorkerSlot w, long id);

        void counted(int completed, int failed);

        /** It takes no more tasks ({@code bye}: it leaves now, running nothing). */
        void leaving(WorkerSlot w, String reason, boolean bye);

        void initializerFailed(WorkerSlot w, Throwable error);

        /** A task over its timeout ignored the interrupt; the worker ends itself. */
        void killed(WorkerSlot w, long id, String message);

        /** Its process ended and every reply it sent has been read. */
        void exitedAfterReplies(WorkerSlot w, Integer code);

        /** Replies were read: publish more tasks, see whether the pool is done. Returns false once the reader may end. */
        boolean afterReplies();

        /** Whether a reply or an end is still awaited: tasks are outstanding or waiting, or the pool is stopping. */
        boolean needsReader();
    }

    private record Exit(WorkerSlot worker, Integer code) {}

    private static final long SLICE_NANOS = 50_000_000L;
    /** How long a caller spins for its result before it sleeps on the reply signal, as the reader. */
    static final long HELP_SPIN_NANOS = 50_000;
    /** A caller asleep as the reader looks at its result, its interrupt status and worker exits this often. */
    static final long HELP_SLICE_NANOS = 5_000_000;
    /** The reader thread's spin ceiling: short, callers waiting for a result read it themselves. */
    static final int SPINS = 64;
    /** While a caller reads, the reader thread looks again this often (it is not woken for each reply then). */
    private static final long HELPED_NANOS = 1_000_000L;

    private final ReplyReader replies;
    private final Pool pool;
    private final ConcurrentLinkedQueue<Exit> exits = new ConcurrentLinkedQueue<>();
    private final WireBuffer in = new WireBuffer(16);
    private final ClassLoader loader = ResultReader.class.getClassLoader();
    private final ReplyReader.Handler handler = this::reply;
    /** Held by whoever drains the rings: the reader thread, or a caller waiting for its result ({@link #help}). */
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Thread thread;
    private volatile boolean parkedForHelper;
    private boolean ended; // guarded by reading: the rings are unmapped

    ResultReader(ReplyReader replies, Pool pool) {
        this.replies = replies;
        this.pool = pool;
    }

    /** A worker's process ended (any thread): handled on the reader's thread once its replies are read. */
    void exited(WorkerSlot w, Integer code) {
        exits.add(new Exit(w, code));
        poke();
    }

    /** Wakes the reader to look at the pool again (it ended, or has work to publish). */
    void poke() {
        try {
            replies.poke();
        } catch (IllegalStateException e) {
            // the reader has ended and unmapped the queue: nobody to wake
        }
    }

    @Override public void run() {
        thread = Thread.currentThread();
        try {
            readUntilFinished();
        } finally {
            markEnded();
        }
    }

    private void readUntilFinished() {
        boolean going = true;
        while (going) {
            if (!reading.tryLock()) {
                // a caller drains the rings for its own result; look again soon rather than be woken by each reply
                parkedForHelper = true;
                if (reading.isLocked()) LockSupport.parkNanos(this, HELPED_NANOS);
                parkedForHelper = false;
                if (Thread.currentThread().isInterrupted()) return;
                continue;
            }
            int signal;
            int read;
            try {
                signal = replies.signal();
                read = drainAll();
                for (Exit e; (e = exits.poll()) != null; ) {
                    replies.drain(e.worker().consumer, handler);
                    replies.reset(e.worker().consumer);
                    pool.exitedAfterReplies(e.worker(), e.code());
                }
                going = pool.afterReplies();
            } finally {
                reading.unlock();
            }
            if (read == 0 && going && exits.isEmpty()) {
                try {
                    replies.await(signal, SLICE_NANOS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The rings are about to be unmapped: no caller may read them any more. */
    private void markEnded() {
        reading.lock();
        ended = true;
        reading.unlock();
    }

    /**
     * A caller about to block for a result reads replies itself, for at most {@code nanos} or until {@code done}:
     * its result then needs no hand-off from the reader thread. Returns at once when another thread is reading.
     */
    void help(BooleanSupplier done, long nanos) {
        if (reading.isHeldByCurrentThread()) return; // a result's dependent waits: never drain twice over
        long start = System.nanoTime();
        long end = start + Math.min(nanos, Long.MAX_VALUE / 4);
        while (!reading.tryLock()) {
            // another thread reads (the reader thread, or a caller): watch for the result briefly, then block
            for (int i = 1; i <= 64; i++) {
                if (done.getAsBoolean()) return;
                Thread.onSpinWait();
            }
            if (System.nanoTime() - Math.min(end, start + HELP_SPIN_NANOS) > 0) return;
        }
        try {
            if (ended) return;
            for (int i = 0; ; i++) {
                int signal = replies.signal();
                if (drainAll() > 0) pool.afterReplies();
                if (done.getAsBoolean() || !exits.isEmpty()) return; // a worker's end is the reader thread's to handle
                if (System.nanoTime() - start < HELP_SPIN_NANOS) {
                    while (replies.signal() == signal && (++i & 63) != 0) Thread.onSpinWait();
                    continue;
                }
                // the result is slow to come: sleep as the reader, so that the reply wakes this thread directly
                long left = end - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) return;
                try {
                    replies.await(signal, Math.min(left, HELP_SLICE_NANOS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the caller's own wait throws it
                    return;
                }
            }
        } finally {
            reading.unlock();
            Thread t = thread;
            // what this caller leaves unread is the reader thread's again (in a ping-pong of single calls, nothing is)
            if (parkedForHelper && t != null && pool.needsReader()) LockSupport.unpark(t);
        }
    }

    private int drainAll() {
        int read = 0;
        for (WorkerSlot w : pool.workers()) if (w != null) read += replies.drain(w.consumer, handler);
        return read;
    }

    private void reply(int consumer, byte[] bytes, int length) {
        WorkerSlot w = pool.workers()[consumer];
        if (w == null) return;
        in.wrap(bytes, length);
        try {
            byte type = in.readByte();
            switch (type) {
                case PoolMessages.RESULT -> result(w);
                case PoolMessages.HELLO -> pool.hello(w, PoolMessages.readHello(in));
                case PoolMessages.RETIRING -> pool.leaving(w, Codec.readString(in), false);
                case PoolMessages.BYE -> pool.leaving(w, Codec.readString(in), true);
                case PoolMessages.KILLED -> {
                    long id = in.readLong();
                    pool.killed(w, id, Codec.readString(in));
                }
                case PoolMessages.INIT_FAILED -> pool.initializerFailed(w, RemoteErrors.rebuild(PoolMessages.readError(in)));
                default -> throw new IOException("unknown reply type " + type);
            }
        } catch (IOException | RuntimeException e) {
            pool.initializerFailed(w, new IllegalStateException("worker " + w.name + " sent a reply the pool cannot read: " + e, e));
        }
    }

    /** A RESULT: decoded whole and counted before any item is delivered, so a caller woken by the last item sees the counts. */
    private void result(WorkerSlot w) throws IOException {
        long id = in.readLong();
        in.readLong(); // the worker's run time: not used
        int n = in.readInt();
        Dispatcher.Task t = pool.finished(w, id);
        if (t == null) return; // cancelled, or failed already
        Batch b = t.batch;
        if (n != t.items()) throw new IOException("result of " + t + " has " + n + " items");
        Type rt = b.function().returnType();
        Object[] values = new Object[n];
        Throwable[] errors = null;
        int failures = 0;
        for (int i = 0; i < n; i++) {
            byte status = in.readByte();
            Throwable error = null;
            switch (status) {
                case PoolMessages.OK -> {
                    try {
                        values[i] = Codec.readSlot(in, rt, loader);
                    } catch (RuntimeException e) {
                        error = e;
                    }
                }
                case PoolMessages.ERROR, PoolMessages.ENCODE_ERROR -> error = RemoteErrors.rebuild(PoolMessages.readError(in));
                case PoolMessages.TIMEOUT -> error = new TimeoutException(Codec.readString(in) + ": " + b.describe(t.from + i, t.from + i + 1)
                        + " in worker " + w.name + " (pid " + w.pid() + ")");
                default -> throw new IOException("unknown result status " + status);
            }
            if (error != null) {
                if (errors == null) errors = new Throwable[n];
                errors[i] = error;
                failures++;
            }
        }
        pool.counted(n - failures, failures);
        if (b.isCancelled()) return;
        int at = b.firstIndex() + t.from;
        if (errors == null) {
            b.sink().values(at, values, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (errors[i] == null) b.sink().value(at + i, values[i]);
            else b.sink().failed(at + i, errors[i]);
        }
    }
}
