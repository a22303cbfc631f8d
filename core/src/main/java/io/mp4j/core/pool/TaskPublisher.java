package io.mp4j.core.pool;

import io.mp4j.ipc.ring.WorkProducer;
import io.mp4j.worker.pool.PoolMessages;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Writes the dispatcher's tasks into the pool's work queue, where workers claim them: each task's head
 * ({@link PoolMessages#writeTaskHead}) followed by its items' arguments, copied from the job's buffer. A function
 * too long to travel in every task is written once to a file beside the queue. Called holding the pool's lock
 * (the queue has one producer).
 */
final class TaskPublisher {
    private final WorkProducer producer;
    private final Path queue;
    private final long timeoutNanos;
    private final WireBuffer head = new WireBuffer(1024);
    private final BitSet functionFiles = new BitSet();

    TaskPublisher(WorkProducer producer, Path queue, long timeoutNanos) {
        this.producer = producer;
        this.queue = queue;
        this.timeoutNanos = timeoutNanos;
    }

    /** Publishes waiting tasks until the ring is full or none waits, then wakes workers; returns how many. */
    int publish(Dispatcher d) {
        int n = 0;
        for (Dispatcher.Task t; (t = d.next()) != null; n++) {
            long position = publish(t);
            if (position < 0) {
                d.putBack(t);
                break;
            }
            t.position = position;
        }
        if (n > 0) producer.signal(n);
        return n;
    }

    /** Takes a published task back if no worker has claimed it; true when it will never run. */
    boolean takeBack(Dispatcher.Task t) { return t.position >= 0 && producer.cancel(t.position, t.id); }

    private long publish(Dispatcher.Task t) {
        FunctionTable.Entry fn = t.batch.function();
        byte[] encoded = fn.encoded();
        if (encoded.length > PoolMessages.MAX_INLINE_FUNCTION && !functionFiles.get(fn.id())) {
            Path f = PoolMessages.functionFile(queue, fn.id());
            try {
                Files.write(f, encoded);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write function " + fn.describe() + " to " + f + ": " + e.getMessage(), e);
            }
            functionFiles.set(fn.id());
        }
        head.clear();
        PoolMessages.writeTaskHead(head, fn.id(), encoded, t.items(), timeoutNanos);
        Batch b = t.batch;
        return producer.publish(t.id, t.items(), head.array(), head.size(), b.argsArray(), b.offset(t.from), b.bytes(t.from, t.to));
    }
}
