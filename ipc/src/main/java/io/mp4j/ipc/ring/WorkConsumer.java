package io.mp4j.ipc.ring;

import io.mp4j.ipc.sync.WaitStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.mp4j.ipc.ring.WorkQueue.INT;
import static io.mp4j.ipc.ring.WorkQueue.LONG;
import static io.mp4j.ipc.ring.WorkQueueLayout.*;

/**
 * A consumer's end of a {@link WorkQueue}: claims the oldest unclaimed task, copies its payload out, and sends
 * replies on its own ring. One per consumer table entry; not thread-safe (one thread claims and replies; the
 * state may be set from any thread).
 *
 * <p>A claim is one compare-and-set of the record's word from READY to CLAIMED with this consumer as owner; then
 * the consumer records the task as the one it runs, copies the payload and marks the record DONE, and moves the
 * shared claim cursor past it (any consumer that finds the record at the cursor claimed, done, cancelled or
 * padding moves the cursor on, so a consumer that dies mid-claim stalls nobody).
 */
public final class WorkConsumer {
    /** {@link #claim}: nothing to claim now. */
    public static final long NONE = 0;
    /** {@link #claim}: the oldest unclaimed task's tag is above the limit given. */
    public static final long REFUSED = -1;

    private final WorkQueue q;
    private final MemorySegment m;
    private final int me;
    private final int generation;
    private final long entry;
    private final long reply;
    private final long mask;
    private final long replyMask;
    /**
     * How long the spinning consumer watches for the next task before it sleeps: a fixed window, not a learnt
     * budget, since a futex wake-up on a virtual machine can take longer than a task's round trip, and a budget
     * learnt from such sleeps shrinks until the consumer sleeps through every next task.
     */
    static final long SPIN_NANOS = 200_000;
    private final WaitStrategy spaceWait = new WaitStrategy();
    private byte[] payload = new byte[4096];
    private int payloadLength;
    private int tag;
    private long replyWrite;

    private WorkConsumer(WorkQueue q, int me, int generation) {
        this.q = q;
        this.m = q.mem;
        this.me = me;
        this.generation = generation;
        this.entry = q.entry(me);
        this.reply = q.reply(me);
        this.mask = q.taskBytes - 1;
        this.replyMask = q.replyBytes - 1;
        this.replyWrite = (long) LONG.getVolatile(m, reply + REPLY_WRITE);
    }

    /**
     * Takes table entry {@code consumer}, which the producer opened with {@code generation}, records this process's
     * pid and goes idle.
     *
     * @param q the queue
     * @param consumer the entry
     * @param generation the generation the producer opened it with
     * @param pid this process's pid
     * @return the consumer, idle
     * @throws IllegalStateException when the entry was given to another consumer since
     */
    public static WorkConsumer join(WorkQueue q, int consumer, int generation, long pid) {
        WorkConsumer c = new WorkConsumer(q, consumer, generation);
        if (!c.stillMine()) throw new IllegalStateException("work queue entry " + consumer + " was given to another consumer: expected generation="
                + generation + " found=" + q.generation(consumer));
        LONG.setVolatile(c.m, c.entry + ENTRY_PID, pid);
        c.state(IDLE);
        return c;
    }

    /** {@return whether the producer still counts this consumer as the entry's owner} */
    public boolean stillMine() { return q.generation(me) == generation; }

    /**
     * Sets this consumer's state in the table.
     *
     * @param state {@link WorkQueueLayout#IDLE}, {@link WorkQueueLayout#BUSY} or {@link WorkQueueLayout#LEFT}
     */
    public void state(int state) { INT.setVolatile(m, entry + ENTRY_STATE, state); }

    /** {@return the task signal's value: read it before a claim that finds nothing, and {@link #awaitTasks} on it} */
    public int taskSignal() { return q.taskSignal(); }

    /** {@return whether the producer closed the queue} */
    public boolean closed() { return q.isClosed(); }

    /**
     * Claims the oldest unclaimed task whose tag is at most {@code maxTag}; its payload is then in {@link #payload()}.
     *
     * @param maxTag the largest tag this consumer takes (its budget of items)
     * @return the task's id; {@link #NONE} when there is nothing to claim; {@link #REFUSED} when the oldest task's tag
     *         is above {@code maxTag} (it stays for another consumer)
     * @throws UncheckedIOException when a payload that travels in a file cannot be read (the task is claimed: its id
     *                              is this consumer's running task)
     * @throws IllegalStateException when the producer gave this consumer up ({@link #stillMine})
     */
    public long claim(int maxTag) {
        if (!stillMine()) throw new IllegalStateException("work queue entry " + me + " was given up by the producer");
        for (;;) {
            long c = (long) LONG.getVolatile(m, CLAIM_CURSOR_OFFSET);
            long p = (long) LONG.getAcquire(m, PUBLISH_CURSOR_OFFSET);
            if (c >= p) return NONE;
            long at = q.ringOffset + (c & mask);
            long w = (long) LONG.getAcquire(m, at + RECORD_WORD);
            int len = (int) INT.get(m, at + RECORD_LENGTH);
            if ((long) LONG.getVolatile(m, CLAIM_CURSOR_OFFSET) != c) continue; // another consumer moved on meanwhile
            int st = stateOf(w);
            if (st != READY) {
                if (len > 0) LONG.compareAndSet(m, CLAIM_CURSOR_OFFSET, c, c + len);
                continue;
            }
            int t = (int) INT.get(m, at + RECORD_TAG);
            if (t > maxTag) return REFUSED;
            long id = idOf(w);
            if (!LONG.compareAndSet(m, at + RECORD_WORD, w, word(id, me, CLAIMED))) continue;
            LONG.setVolatile(m, entry + ENTRY_RUNNING, id);
            LONG.getAndAdd(m, CLAIMS_OFFSET, 1L);
            tag = t;
            try {
                if (((int) INT.get(m, at + RECORD_FLAGS) & FLAG_EXTERNAL) != 0) readExternal(id);
                else copyOut(at);
            } finally {
                LONG.setRelease(m, at + RECORD_WORD, word(id, me, DONE));
                LONG.compareAndSet(m, CLAIM_CURSOR_OFFSET, c, c + len);
            }
            return id;
        }
    }

    /** {@return the last claimed task's payload: {@code payload()[0 .. payloadLength())}; the array is reused by the next claim} */
    public byte[] payload() { return payload; }

    /** {@return the length of the last claimed task's payload} */
    public int payloadLength() { return payloadLength; }

    /** {@return the last claimed task's tag} */
    public int tag() { return tag; }

    /**
     * Waits until the producer publishes or closes after {@code observed} was read from {@link #taskSignal}, at
     * most {@code nanos} (spin, then futex); may return early: claim again and decide.
     *
     * @param observed the task signal's value read before the claim that found nothing
     * @param nanos the longest wait
     * @throws InterruptedException when the thread is interrupted
     */
    public void awaitTasks(int observed, long nanos) throws InterruptedException {
        // one idle consumer spins, the others sleep: spinners beyond the free cores only slow the thread that is
        // about to publish or read. The role goes to the consumer that went idle last (the one whose caller is
        // likeliest to send the next task at once); the one it replaces stops spinning and sleeps.
        INT.setVolatile(m, SPINNER_OFFSET, me + 1);
        boolean changed;
        try {
            changed = spinFor(observed, nanos < 0 ? SPIN_NANOS : Math.min(nanos, SPIN_NANOS));
        } finally {
            INT.compareAndSet(m, SPINNER_OFFSET, me + 1, 0);
        }
        if (!changed) WaitStrategy.sleep(m, TASK_SIGNAL_OFFSET, TASK_SLEEPERS_OFFSET, observed, nanos, true);
    }

    /** Spins while the signal holds {@code observed}, this consumer has the spinner's role, and time is left. */
    private boolean spinFor(int observed, long nanos) {
        long end = System.nanoTime() + nanos;
        for (int i = 1; ; i++) {
            if (WaitStrategy.getVolatile(m, TASK_SIGNAL_OFFSET) != observed) return true;
            if (WaitStrategy.getVolatile(m, SPINNER_OFFSET) != me + 1) return false;
            Thread.onSpinWait();
            if ((i & 15) == 0 && System.nanoTime() - end > 0) return false;
        }
    }

    /**
     * Sends {@code bytes[off .. off+len)} to the producer as one reply. A reply larger than the free space
     * travels in fragments; this call waits while the ring is full.
     *
     * @param bytes the array holding the reply
     * @param off where it starts
     * @param len its length
     * @throws IllegalStateException when the entry was given to another consumer (this one was given up for gone)
     * @throws InterruptedException  when interrupted while waiting for room (part of the reply may have been sent)
     */
    public void reply(byte[] bytes, int off, int len) throws InterruptedException {
        int cap = q.replyBytes;
        boolean first = true;
        while (first || len > 0) {
            if (!stillMine()) throw new IllegalStateException("work queue entry " + me + " was given up by the producer");
            long read = (long) LONG.getAcquire(m, reply + REPLY_READ);
            long free = cap - (replyWrite - read);
            long toEnd = WorkQueue.toEnd(replyWrite, cap);
            long at = reply + REPLY_DATA + (replyWrite & replyMask);
            if (toEnd < REPLY_HEADER + 64 && toEnd < REPLY_HEADER + align(len, 8)) {
                if (free < toEnd) {
                    awaitSpace();
                    continue;
                }
                INT.set(m, at, (int) toEnd - REPLY_HEADER);
                INT.set(m, at + 4, REPLY_PADDING);
                publishReply(replyWrite + toEnd);
                continue;
            }
            long room = (Math.min(free, toEnd) - REPLY_HEADER) & -8L;
            if (room < Math.min(len, 64)) {
                awaitSpace();
                continue;
            }
            int n = (int) Math.min(len, room);
            MemorySegment.copy(bytes, off, m, ValueLayout.JAVA_BYTE, at + REPLY_HEADER, n);
            INT.set(m, at, n);
            INT.set(m, at + 4, n == len ? REPLY_LAST : 0);
            publishReply(replyWrite + align(REPLY_HEADER + n, 8));
            off += n;
            len -= n;
            first = false;
        }
    }

    private void publishReply(long write) {
        replyWrite = write;
        LONG.setRelease(m, reply + REPLY_WRITE, write);
        INT.getAndAdd(m, REPLY_SIGNAL_OFFSET, 1);
        WaitStrategy.wake(m, REPLY_SIGNAL_OFFSET, REPLY_SLEEPERS_OFFSET, 1);
    }

    private void awaitSpace() throws InterruptedException {
        int observed = WaitStrategy.getVolatile(m, entry + ENTRY_SPACE_SIGNAL);
        long read = (long) LONG.getAcquire(m, reply + REPLY_READ);
        if (q.replyBytes - (replyWrite - read) >= Math.min(q.replyBytes / 2, 4096)) return; // room came meanwhile
        spaceWait.awaitChange(m, entry + ENTRY_SPACE_SIGNAL, entry + ENTRY_SPACE_SLEEPERS, observed, -1, true);
    }

    private void copyOut(long at) {
        int n = (int) INT.get(m, at + RECORD_PAYLOAD_LENGTH);
        if (payload.length < n) payload = new byte[Math.max(n, payload.length * 2)];
        MemorySegment.copy(m, ValueLayout.JAVA_BYTE, at + RECORD_HEADER, payload, 0, n);
        payloadLength = n;
    }

    private void readExternal(long id) {
        Path p = WorkProducer.external(q.path(), id);
        try {
            byte[] b = Files.readAllBytes(p);
            Files.deleteIfExists(p);
            payload = b.length <= payload.length ? copyInto(b) : b;
            payloadLength = b.length;
        } catch (IOException e) {
            payloadLength = 0;
            throw new UncheckedIOException("cannot read task " + id + " from " + p + ": " + e.getMessage(), e);
        }
    }

    private byte[] copyInto(byte[] b) {
        System.arraycopy(b, 0, payload, 0, b.length);
        return payload;
    }

    @Override public String toString() { return "WorkConsumer[" + me + " of " + q.path() + ", generation " + generation + "]"; }
}
