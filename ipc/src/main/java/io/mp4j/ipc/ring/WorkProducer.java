package io.mp4j.ipc.ring;

import io.mp4j.ipc.sync.WaitStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

import static io.mp4j.ipc.ring.WorkQueue.INT;
import static io.mp4j.ipc.ring.WorkQueue.LONG;
import static io.mp4j.ipc.ring.WorkQueueLayout.*;

/**
 * The producer's end of a {@link WorkQueue}: publishes task records, takes back those not yet claimed, reuses the
 * space of records claimed and copied out, and hands consumer table entries to new consumers.
 *
 * <p>Records are published in order at {@code publishCursor}. Space is reused from {@code reclaim}, the oldest
 * record not yet done: a record is done once its consumer copied its payload out (microseconds after the claim),
 * so the ring holds only what waits, never what runs. A record whose payload exceeds a quarter of the ring
 * travels in a file beside the queue ({@code <queue>.<id>}), which its consumer deletes after reading it.
 *
 * <p>Not thread-safe: one thread at a time (the owner's lock), in the process that created the queue.
 */
public final class WorkProducer {
    private final WorkQueue q;
    private final MemorySegment m;
    private final long mask;
    private long publish;
    private long reclaim;
    private long published;
    private long cancelled;

    /**
     * The producer of {@code q}; a queue has one, used under its owner's lock.
     *
     * @param q the queue
     */
    public WorkProducer(WorkQueue q) {
        this.q = q;
        this.m = q.mem;
        this.mask = q.taskBytes - 1;
    }

    /**
     * Publishes a task: its payload is {@code head[0..headLen)} followed by {@code body[bodyOff..bodyOff+bodyLen)}.
     * Consumers may claim it at once; call {@link #signal} after a run of publishes to wake sleeping ones.
     *
     * @param id  the task's id: positive, unique in the queue's life, below 2^40
     * @param tag a number consumers may look at before they claim (a count of items)
     * @param head the payload's first part
     * @param headLen its length
     * @param body the array holding the payload's second part
     * @param bodyOff where it starts in {@code body}
     * @param bodyLen its length
     * @return the record's position, for {@link #cancel}; -1 when the ring has no room now (try again once
     *         consumers have claimed more)
     */
    public long publish(long id, int tag, byte[] head, int headLen, byte[] body, int bodyOff, int bodyLen) {
        if (id <= 0 || id >= 1L << 40) throw new IllegalArgumentException("id must be 1 to 2^40-1: id=" + id);
        int payload = headLen + bodyLen;
        boolean external = payload > q.maxInlinePayload();
        long need = align(RECORD_HEADER + (external ? 0 : payload), RECORD_ALIGN);
        reclaim();
        long toEnd = WorkQueue.toEnd(publish, q.taskBytes);
        if (need > toEnd) {
            if (free() < toEnd + need) return -1;
            long at = q.ringOffset + (publish & mask);
            INT.set(m, at + RECORD_LENGTH, (int) toEnd);
            LONG.setRelease(m, at + RECORD_WORD, word(0, -1, PADDING));
            publish += toEnd;
            LONG.setRelease(m, PUBLISH_CURSOR_OFFSET, publish);
        }
        if (free() < need) return -1;
        if (external) writeExternal(id, head, headLen, body, bodyOff, bodyLen);
        long at = q.ringOffset + (publish & mask);
        INT.set(m, at + RECORD_LENGTH, (int) need);
        INT.set(m, at + RECORD_TAG, tag);
        INT.set(m, at + RECORD_PAYLOAD_LENGTH, external ? 0 : payload);
        INT.set(m, at + RECORD_FLAGS, external ? FLAG_EXTERNAL : 0);
        if (!external) {
            MemorySegment.copy(head, 0, m, ValueLayout.JAVA_BYTE, at + RECORD_HEADER, headLen);
            MemorySegment.copy(body, bodyOff, m, ValueLayout.JAVA_BYTE, at + RECORD_HEADER + headLen, bodyLen);
        }
        LONG.setRelease(m, at + RECORD_WORD, word(id, -1, READY));
        long position = publish;
        publish += need;
        LONG.setRelease(m, PUBLISH_CURSOR_OFFSET, publish);
        published++;
        return position;
    }

    /**
     * Wakes up to {@code n} consumers asleep waiting for tasks (a system call only if one sleeps).
     *
     * @param n the most consumers to wake
     */
    public void signal(int n) {
        INT.getAndAdd(m, TASK_SIGNAL_OFFSET, 1);
        WaitStrategy.wake(m, TASK_SIGNAL_OFFSET, TASK_SLEEPERS_OFFSET, n);
    }

    /**
     * Takes back the task published at {@code position} with {@code id} if no consumer has claimed it.
     *
     * @param position what {@link #publish} returned
     * @param id the task's id
     * @return true when it was taken back (it will never run), false when a consumer has it
     */
    public boolean cancel(long position, long id) {
        long at = q.ringOffset + (position & mask);
        long w = (long) LONG.getVolatile(m, at + RECORD_WORD);
        if (idOf(w) != id || stateOf(w) != READY) return false;
        if (!LONG.compareAndSet(m, at + RECORD_WORD, w, word(id, -1, CANCELLED))) return false;
        if (((int) INT.get(m, at + RECORD_FLAGS) & FLAG_EXTERNAL) != 0) deleteExternal(id);
        cancelled++;
        return true;
    }

    /** Says that nothing more will be published: consumers that find the ring empty leave. */
    public void close() {
        INT.setVolatile(m, CLOSED_OFFSET, 1);
        INT.getAndAdd(m, TASK_SIGNAL_OFFSET, 1);
        WaitStrategy.wake(m, TASK_SIGNAL_OFFSET, TASK_SLEEPERS_OFFSET, Integer.MAX_VALUE);
    }

    /** {@return the number of tasks published and neither claimed nor taken back} */
    public long unclaimed() { return published - cancelled - q.claims(); }

    /** {@return the number of consumers whose table entry says they wait for a task} */
    public int idle() {
        int n = 0;
        for (int i = 0; i < q.consumers; i++) if (q.state(i) == IDLE) n++;
        return n;
    }

    /**
     * What a consumer that is gone leaves behind: the id of every record it claimed and did not copy out (its
     * record is then released), and the id its table entry says it runs. An id may be reported twice, or be of a
     * task whose result already came back: the caller knows which tasks are still outstanding.
     *
     * @param consumer the entry of the consumer that is gone
     * @param ids receives each id
     */
    public void abandoned(int consumer, LongConsumer ids) {
        reclaim();
        for (long pos = reclaim; pos < publish; ) {
            long at = q.ringOffset + (pos & mask);
            long w = (long) LONG.getVolatile(m, at + RECORD_WORD);
            int len = (int) INT.get(m, at + RECORD_LENGTH);
            if (stateOf(w) == CLAIMED && ownerOf(w) == consumer) {
                LONG.setRelease(m, at + RECORD_WORD, word(idOf(w), consumer, DONE));
                if (((int) INT.get(m, at + RECORD_FLAGS) & FLAG_EXTERNAL) != 0) deleteExternal(idOf(w));
                ids.accept(idOf(w));
            }
            pos += len;
        }
        long running = q.running(consumer);
        if (running != 0) ids.accept(running);
        INT.compareAndSet(m, SPINNER_OFFSET, consumer + 1, 0); // it died spinning: let another idle consumer spin
    }

    /**
     * Hands a table entry to a new consumer: its state, task and reply ring start afresh and its generation is
     * bumped (returned; the consumer proves it when it joins). Only for an entry that is free or whose consumer is
     * gone and whose replies were read ({@link ReplyReader#reset}).
     *
     * @param consumer the entry
     * @return the entry's new generation
     */
    public int open(int consumer) {
        long e = q.entry(consumer);
        INT.setVolatile(m, e + ENTRY_STATE, FREE);
        LONG.setVolatile(m, e + ENTRY_RUNNING, 0L);
        LONG.setVolatile(m, e + ENTRY_PID, 0L);
        long r = q.reply(consumer);
        LONG.setVolatile(m, r + REPLY_WRITE, 0L);
        LONG.setVolatile(m, r + REPLY_READ, 0L);
        return (int) INT.getAndAdd(m, e + ENTRY_GENERATION, 1) + 1;
    }

    /**
     * Marks a consumer that is gone as having left, so that it no longer counts as idle.
     *
     * @param consumer the entry
     */
    public void release(int consumer) {
        INT.getAndAdd(m, q.entry(consumer) + ENTRY_GENERATION, 1); // a late write of the old consumer is refused
        INT.setVolatile(m, q.entry(consumer) + ENTRY_STATE, LEFT);
    }

    private long free() { return q.taskBytes - (publish - reclaim); }

    /** Advances over the records that are done, cancelled or padding and that every consumer has passed. */
    private void reclaim() {
        long claimed = (long) LONG.getVolatile(m, CLAIM_CURSOR_OFFSET);
        while (reclaim < claimed) {
            long at = q.ringOffset + (reclaim & mask);
            int st = stateOf((long) LONG.getAcquire(m, at + RECORD_WORD));
            if (st != DONE && st != CANCELLED && st != PADDING) return;
            reclaim += (int) INT.get(m, at + RECORD_LENGTH);
        }
    }

    private void writeExternal(long id, byte[] head, int headLen, byte[] body, int bodyOff, int bodyLen) {
        Path p = external(q.path(), id);
        try (var out = Files.newOutputStream(p)) {
            out.write(head, 0, headLen);
            out.write(body, bodyOff, bodyLen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write task " + id + " to " + p + ": " + e.getMessage(), e);
        }
    }

    private void deleteExternal(long id) {
        try {
            Files.deleteIfExists(external(q.path(), id));
        } catch (IOException ignored) {
            // the queue's directory is removed with its context
        }
    }

    static Path external(Path queue, long id) { return queue.resolveSibling(queue.getFileName() + "." + id); }
}
