package io.mp4j.managers;

import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's side of {@code Queue} and {@code JoinableQueue} (Python's {@code queue.Queue}, which a manager
 * serves for both): a FIFO of encoded items, bounded by {@code maxsize} (0: unbounded), counting unfinished tasks
 * for {@code task_done}/{@code join}.
 */
final class QueueServant implements Server.Servant {
    static final int PUT = 1, GET = 2, SIZE = 3, TASK_DONE = 4, JOIN = 5, PEEK = 6, ALL = 7, REMOVE = 8, DRAIN = 9,
            CLEAR = 10, MAXSIZE = 11, UNFINISHED = 12;

    private final ReentrantLock m = new ReentrantLock();
    private final java.util.concurrent.locks.Condition notEmpty = m.newCondition(), notFull = m.newCondition(),
            allDone = m.newCondition();
    private final ArrayDeque<byte[]> items = new ArrayDeque<>();
    private final int maxsize;
    private long unfinished;

    QueueServant(int maxsize) {
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must not be negative: maxsize=" + maxsize);
        this.maxsize = maxsize;
    }

    private boolean full() { return maxsize > 0 && items.size() >= maxsize; }

    @Override
    public void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws IOException {
        m.lock();
        try {
            switch (method) {
                case PUT -> {
                    byte[] item = Wire.readRaw(in);
                    long deadline = Server.deadline(in.readLong());
                    boolean room = true;
                    while (full() && room) room = s.awaitSlice(notFull, deadline);
                    if (room) {
                        items.add(item);
                        unfinished++;
                        notEmpty.signal();
                    }
                    out.writeBoolean(room);
                }
                case GET -> {
                    long deadline = Server.deadline(in.readLong());
                    boolean some = true;
                    while (items.isEmpty() && some) some = s.awaitSlice(notEmpty, deadline);
                    Wire.writeRaw(out, some ? take() : null);
                }
                case SIZE -> out.writeInt(items.size());
                case TASK_DONE -> {
                    if (unfinished <= 0) throw new IllegalStateException("taskDone() called more times than there were items");
                    if (--unfinished == 0) allDone.signalAll();
                }
                case JOIN -> {
                    long deadline = Server.deadline(in.readLong());
                    boolean done = true;
                    while (unfinished > 0 && done) done = s.awaitSlice(allDone, deadline);
                    out.writeBoolean(done);
                }
                case PEEK -> Wire.writeRaw(out, items.peek());
                case ALL -> {
                    out.writeInt(items.size());
                    for (byte[] b : items) Wire.writeRaw(out, b);
                }
                case REMOVE -> {
                    byte[] item = Wire.readRaw(in);
                    boolean found = false;
                    for (var it = items.iterator(); it.hasNext() && !found; ) {
                        if (Arrays.equals(it.next(), item)) {
                            it.remove();
                            found = true;
                        }
                    }
                    if (found) notFull.signal();
                    out.writeBoolean(found);
                }
                case DRAIN -> {
                    int max = in.readInt();
                    List<byte[]> taken = new ArrayList<>();
                    while (taken.size() < max && !items.isEmpty()) taken.add(take());
                    out.writeInt(taken.size());
                    for (byte[] b : taken) Wire.writeRaw(out, b);
                }
                case CLEAR -> { items.clear(); notFull.signalAll(); }
                case MAXSIZE -> out.writeInt(maxsize);
                case UNFINISHED -> out.writeLong(unfinished);
                default -> throw DataServants.unknown("Queue", method);
            }
        } finally {
            m.unlock();
        }
    }

    /** Takes the head (the queue is not empty); called holding {@code m}. */
    private byte[] take() {
        byte[] b = items.poll();
        notFull.signal();
        return b;
    }
}
