package io.mp4j.ipc.ring;

import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.sync.Futex;
import io.mp4j.ipc.sync.WaitStrategy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

import static io.mp4j.ipc.ring.WorkQueueLayout.*;

/**
 * A work queue in shared memory: one producer publishes task records, any number of consumers (in this or other
 * processes) claim them, each record exactly once, and each consumer sends replies back on a ring of its own.
 * The producer is off the consumers' path: a consumer that finishes a task claims the next one itself, without
 * waiting for the producer (see {@link WorkProducer}, {@link WorkConsumer}; the layout is {@link WorkQueueLayout}).
 *
 * <p>Waiting is the library's one way ({@link WaitStrategy}): a short adaptive spin, then a futex; a party that
 * signals makes the wake system call only when somebody sleeps.
 *
 * <p>A claim records its owner in the record's word with one compare-and-set, so a consumer that dies leaves
 * behind exactly the tasks it had claimed ({@link WorkProducer#abandoned}): the record it claimed, and the task
 * its table entry says it runs.
 *
 * <p>What becomes visible across processes: a record's payload before its READY state (release/acquire), a
 * reply's bytes before the write cursor that covers them.
 */
public final class WorkQueue implements AutoCloseable {
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final int KIND_WORK_QUEUE = 5;

    private final Segment segment;
    final MemorySegment mem;
    final int taskBytes;
    final int consumers;
    final int replyBytes;
    final long tableOffset;
    final long ringOffset;
    final long repliesOffset;

    private WorkQueue(Segment segment) {
        this.segment = segment;
        this.mem = segment.payload();
        this.taskBytes = (int) INT.get(mem, TASK_BYTES_OFFSET);
        this.consumers = (int) INT.get(mem, CONSUMERS_OFFSET);
        this.replyBytes = (int) INT.get(mem, REPLY_BYTES_OFFSET);
        this.tableOffset = HEADER_LENGTH;
        this.ringOffset = tableOffset + consumers * ENTRY_LENGTH;
        this.repliesOffset = ringOffset + taskBytes;
    }

    /**
     * Creates the file (which must not exist) and maps it.
     *
     * @param path       the file, in a context's private directory
     * @param taskBytes  the task ring's size, a power of 2 of at least 4 KiB
     * @param consumers  entries in the consumer table, 1 to 65534
     * @param replyBytes each reply ring's size, a power of 2 of at least 1 KiB
     * @return the queue, empty and open
     * @throws IllegalArgumentException naming a wrong size, or when the file exists
     */
    public static WorkQueue create(Path path, int taskBytes, int consumers, int replyBytes) {
        if (taskBytes < 4096 || Integer.bitCount(taskBytes) != 1) throw new IllegalArgumentException("taskBytes must be a power of 2 of at least 4096: taskBytes=" + taskBytes);
        if (consumers < 1 || consumers > 65534) throw new IllegalArgumentException("consumers must be 1 to 65534: consumers=" + consumers);
        if (replyBytes < 1024 || Integer.bitCount(replyBytes) != 1) throw new IllegalArgumentException("replyBytes must be a power of 2 of at least 1024: replyBytes=" + replyBytes);
        Futex.linkAhead(); // both sides wait on it: link the futex calls now, not at the first wait
        Segment s = Segment.create(path, KIND_WORK_QUEUE, WorkQueueLayout.length(taskBytes, consumers, replyBytes), true);
        MemorySegment m = s.payload();
        INT.set(m, MAGIC_OFFSET, MAGIC);
        INT.set(m, TASK_BYTES_OFFSET, taskBytes);
        INT.set(m, CONSUMERS_OFFSET, consumers);
        INT.set(m, REPLY_BYTES_OFFSET, replyBytes);
        INT.setRelease(m, VERSION_OFFSET, VERSION);
        return new WorkQueue(s);
    }

    /**
     * Maps an existing queue and checks its header.
     *
     * @param path the queue's file
     * @return the queue
     * @throws IllegalArgumentException when the file is missing, is not a work queue, or has another version
     */
    public static WorkQueue attach(Path path) {
        Futex.linkAhead();
        Segment s = Segment.attach(path, true);
        MemorySegment m = s.payload();
        if (m.byteSize() < HEADER_LENGTH) {
            s.close();
            throw new IllegalArgumentException("not a work queue (too short): path=" + path);
        }
        int magic = (int) INT.get(m, MAGIC_OFFSET);
        int version = (int) INT.getAcquire(m, VERSION_OFFSET);
        if (magic != MAGIC || version != VERSION) {
            s.close();
            if (magic != MAGIC) throw new IllegalArgumentException("not a work queue: path=" + path + " magic=0x" + Integer.toHexString(magic));
            throw new IllegalArgumentException("work queue version not compatible: expected=" + VERSION + " found=" + version + " path=" + path);
        }
        WorkQueue q = new WorkQueue(s);
        if (WorkQueueLayout.length(q.taskBytes, q.consumers, q.replyBytes) > m.byteSize()) {
            s.close();
            throw new IllegalArgumentException("corrupt work queue: path=" + path + " size=" + m.byteSize());
        }
        return q;
    }

    /** {@return the queue's file} */
    public Path path() { return segment.path(); }

    /** {@return the number of entries in the consumer table} */
    public int consumers() { return consumers; }

    /** {@return the largest payload that travels inside the ring; larger ones go through a file beside the queue} */
    public int maxInlinePayload() { return taskBytes / 4 - RECORD_HEADER; }

    /** Unmaps the queue in this process (other processes keep their mappings). */
    @Override public void close() { segment.close(); }

    /** Removes the file (and nothing else): mappings stay valid, nobody can attach afterwards. */
    public void unlink() { segment.unlink(); }

    // ------------------------------------------------------------------ shared words

    long entry(int consumer) {
        if (consumer < 0 || consumer >= consumers) throw new IllegalArgumentException("consumer must be 0 to " + (consumers - 1) + ": consumer=" + consumer);
        return tableOffset + consumer * ENTRY_LENGTH;
    }

    long reply(int consumer) { return repliesOffset + consumer * (REPLY_DATA + replyBytes); }

    /**
     * {@return a consumer's state in the table ({@link WorkQueueLayout#IDLE}...)}
     *
     * @param consumer the entry
     */
    public int state(int consumer) { return (int) INT.getVolatile(mem, entry(consumer) + ENTRY_STATE); }

    /**
     * {@return the generation of a consumer's entry: bumped each time the producer hands the entry to a new consumer}
     *
     * @param consumer the entry
     */
    public int generation(int consumer) { return (int) INT.getVolatile(mem, entry(consumer) + ENTRY_GENERATION); }

    /**
     * {@return the id of the task the consumer claimed last (0: none), as it recorded it}
     *
     * @param consumer the entry
     */
    public long running(int consumer) { return (long) LONG.getVolatile(mem, entry(consumer) + ENTRY_RUNNING); }

    /**
     * {@return the pid the consumer recorded when it joined (0 before)}
     *
     * @param consumer the entry
     */
    public long pid(int consumer) { return (long) LONG.getVolatile(mem, entry(consumer) + ENTRY_PID); }

    /** {@return whether the producer has said that nothing more will be published} */
    public boolean isClosed() { return (int) INT.getVolatile(mem, CLOSED_OFFSET) != 0; }

    /** {@return the number of records claimed so far} */
    public long claims() { return (long) LONG.getVolatile(mem, CLAIMS_OFFSET); }

    int taskSignal() { return WaitStrategy.getVolatile(mem, TASK_SIGNAL_OFFSET); }

    int replySignal() { return WaitStrategy.getVolatile(mem, REPLY_SIGNAL_OFFSET); }

    static long toEnd(long cursor, int capacity) { return capacity - (cursor & (capacity - 1)); }

    @Override public String toString() {
        return "WorkQueue[" + path() + ", " + SegmentDescriptor.HEADER_LENGTH + "+" + mem.byteSize() + " bytes, " + consumers + " consumers]";
    }
}
