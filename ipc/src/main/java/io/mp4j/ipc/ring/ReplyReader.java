package io.mp4j.ipc.ring;

import io.mp4j.ipc.sync.WaitStrategy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.mp4j.ipc.ring.WorkQueue.INT;
import static io.mp4j.ipc.ring.WorkQueue.LONG;
import static io.mp4j.ipc.ring.WorkQueueLayout.*;

/**
 * The producer's reading end of every consumer's reply ring: whole replies, fragments put back together, handed
 * to a {@link Handler} as they are read. Not thread-safe: one reader thread.
 */
public final class ReplyReader {
    /** Receives one reply: {@code bytes[0 .. length)}, valid only during the call. */
    @FunctionalInterface
    public interface Handler {
        /**
         * One reply.
         *
         * @param consumer the entry of the consumer that sent it
         * @param bytes the array holding it, valid only during the call
         * @param length its length
         */
        void reply(int consumer, byte[] bytes, int length);
    }

    private final WorkQueue q;
    private final MemorySegment m;
    private final long mask;
    private final WaitStrategy wait;
    private final byte[][] partial;
    private final int[] partialLength;
    private byte[] scratch = new byte[4096];

    /**
     * The reader of {@code q}'s reply rings; a queue has one, on one thread.
     *
     * @param q the queue
     */
    public ReplyReader(WorkQueue q) { this(q, WaitStrategy.DEFAULT_MAX_SPINS); }

    /**
     * The reader of {@code q}'s reply rings, spinning at most {@code maxSpins} times before it sleeps (a reader
     * thread that others relieve of the latency-critical reads should leave the cores to them).
     *
     * @param q the queue
     * @param maxSpins the spin budget's ceiling ({@link WaitStrategy#WaitStrategy(int)})
     */
    public ReplyReader(WorkQueue q, int maxSpins) {
        this.wait = new WaitStrategy(maxSpins);
        this.q = q;
        this.m = q.mem;
        this.mask = q.replyBytes - 1;
        this.partial = new byte[q.consumers][];
        this.partialLength = new int[q.consumers];
    }

    /** {@return the reply signal's value: read it before draining, and {@link #await} on it} */
    public int signal() { return q.replySignal(); }

    /**
     * Waits until a consumer replies after {@code observed} was read from {@link #signal}, or someone calls
     * {@link #poke}, at most {@code nanos} (spin, then futex); may return early.
     *
     * @param observed the signal's value read before draining
     * @param nanos the longest wait
     * @throws InterruptedException when the thread is interrupted
     */
    public void await(int observed, long nanos) throws InterruptedException {
        wait.awaitChange(m, REPLY_SIGNAL_OFFSET, REPLY_SLEEPERS_OFFSET, observed, nanos, true);
    }

    /** Wakes the reader (from another thread of the producer's process: a worker ended, there is work to do). */
    public void poke() {
        INT.getAndAdd(m, REPLY_SIGNAL_OFFSET, 1);
        WaitStrategy.wake(m, REPLY_SIGNAL_OFFSET, REPLY_SLEEPERS_OFFSET, 1);
    }

    /**
     * Reads every complete reply that {@code consumer} has sent, in order, and frees their space.
     *
     * @param consumer the entry
     * @param handler receives each reply
     * @return how many replies were handed to {@code handler}
     */
    public int drain(int consumer, Handler handler) {
        long r = q.reply(consumer);
        long start = (long) LONG.get(m, r + REPLY_READ);
        long read = start;
        long write = (long) LONG.getAcquire(m, r + REPLY_WRITE);
        int n = 0;
        while (read < write) {
            long at = r + REPLY_DATA + (read & mask);
            int len = (int) INT.get(m, at);
            int flags = (int) INT.get(m, at + 4);
            if ((flags & REPLY_PADDING) != 0) {
                read += REPLY_HEADER + len;
            } else if ((flags & REPLY_LAST) != 0 && partialLength[consumer] == 0) {
                if (scratch.length < len) scratch = new byte[Math.max(len, scratch.length * 2)];
                MemorySegment.copy(m, ValueLayout.JAVA_BYTE, at + REPLY_HEADER, scratch, 0, len);
                read += align(REPLY_HEADER + len, 8);
                LONG.setRelease(m, r + REPLY_READ, read);
                handler.reply(consumer, scratch, len);
                n++;
            } else {
                int have = partialLength[consumer];
                byte[] p = partial[consumer];
                if (p == null || p.length < have + len) p = partial[consumer] = Arrays.copyOf(p == null ? new byte[0] : p, Math.max(have + len, 2 * have + 4096));
                MemorySegment.copy(m, ValueLayout.JAVA_BYTE, at + REPLY_HEADER, p, have, len);
                read += align(REPLY_HEADER + len, 8);
                if ((flags & REPLY_LAST) == 0) {
                    partialLength[consumer] = have + len;
                } else {
                    partialLength[consumer] = 0;
                    partial[consumer] = null;
                    LONG.setRelease(m, r + REPLY_READ, read);
                    handler.reply(consumer, p, have + len);
                    n++;
                }
            }
            LONG.setRelease(m, r + REPLY_READ, read);
            if (read >= write) write = (long) LONG.getAcquire(m, r + REPLY_WRITE);
        }
        if (read != start) {
            // a consumer waiting for room (a reply larger than its ring) goes on
            long e = q.entry(consumer);
            INT.getAndAdd(m, e + ENTRY_SPACE_SIGNAL, 1);
            WaitStrategy.wake(m, e + ENTRY_SPACE_SIGNAL, e + ENTRY_SPACE_SLEEPERS, 1);
        }
        return n;
    }

    /**
     * Forgets a partial reply of a consumer that is gone.
     *
     * @param consumer the entry
     */
    public void reset(int consumer) {
        partial[consumer] = null;
        partialLength[consumer] = 0;
    }
}
