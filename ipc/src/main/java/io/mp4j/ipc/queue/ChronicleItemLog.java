package io.mp4j.ipc.queue;

import io.mp4j.ipc.codec.Codec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static io.mp4j.ipc.queue.QueueLayout.CLAIM_CURSOR_OFFSET;
import static io.mp4j.ipc.queue.QueueLayout.GOT_COUNT_OFFSET;

/**
 * The item log on Chronicle Queue, with the claim protocol that makes every item go to exactly one reader.
 *
 * <p><b>Claim protocol.</b> Chronicle appends excerpts from every process in one total order (its
 * cross-process write lock), each with a log index that grows along that order (within a cycle file by
 * one, across cycle files by a jump). Every reader's tailer sees the same excerpts with the same indexes
 * in the same order. The control block holds one shared word, the claim cursor: every excerpt with an
 * index below it has been claimed. A reader at the excerpt with index {@code i}, seeing the cursor
 * {@code c}:
 * <ul>
 *   <li>{@code i < c}: it was claimed by someone; skip it;
 *   <li>{@code i >= c}: CAS the cursor from {@code c} to {@code i + 1}; success claims it, failure
 *       re-reads the cursor and decides again about the same excerpt.
 * </ul>
 * A reader moves past an excerpt only once it lies below the cursor, and the cursor only grows, so when a
 * reader claims {@code i} the cursor is above the excerpt before {@code i}: the CAS covers exactly one
 * excerpt. Hence each excerpt is claimed exactly once, in log order, whoever reads it; a reader that dies
 * before its CAS leaves the item to the others, one that dies after it has taken it.
 *
 * <p>Cycle files: when a claim moves the cursor into a newer cycle, every older cycle is fully claimed;
 * the claimer deletes the files of the cycles before the previous one (one is kept for slow readers still
 * inside it). The context's directory removal takes the rest.
 *
 * <p>Thread confinement: Chronicle appenders and tailers belong to one thread, so each thread gets its own.
 */
final class ChronicleItemLog implements ItemLog {
    /** Roll cycle: hourly files by default; a test may ask for another with {@code mp4j.queue.rollCycle}. */
    static final String ROLL_CYCLE_PROPERTY = "mp4j.queue.rollCycle";

    private final SingleChronicleQueue queue;
    private final Path dir;
    private final ControlBlock ctl;
    private final Type elementType;
    private final RollCycle rollCycle;
    private final ThreadLocal<ExcerptAppender> appenders = new ThreadLocal<>();
    private final ThreadLocal<ExcerptTailer> tailers = new ThreadLocal<>();
    private volatile boolean closed;

    /** Opens the log; the caller has applied {@link ChronicleSettings} before this first Chronicle use. */
    static ItemLog open(Path dir, ControlBlock ctl, Type elementType) {
        return new ChronicleItemLog(dir, ctl, elementType);
    }

    private ChronicleItemLog(Path dir, ControlBlock ctl, Type elementType) {
        this.dir = dir;
        this.ctl = ctl;
        this.elementType = elementType;
        this.rollCycle = rollCycle();
        this.queue = SingleChronicleQueueBuilder.binary(dir).rollCycle(rollCycle).build();
    }

    private static RollCycle rollCycle() {
        String name = System.getProperty(ROLL_CYCLE_PROPERTY);
        if (name == null || name.isBlank()) return RollCycles.FAST_HOURLY;
        for (RollCycle rc : List.of(net.openhft.chronicle.queue.rollcycles.TestRollCycles.values())) {
            if (rc.toString().equals(name)) return rc;
        }
        return RollCycles.valueOf(name);
    }

    // ------------------------------------------------------------------ appending

    @Override
    public void append(EncodedItem item) {
        ExcerptAppender a = appenders.get();
        if (a == null) {
            checkOpen();
            a = queue.createAppender();
            appenders.set(a);
        }
        try (DocumentContext dc = a.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeByte(item.tag());
            switch (item.tag()) {
                case EncodedItem.INT -> b.writeInt((int) item.scalar());
                case EncodedItem.LONG -> b.writeLong(item.scalar());
                default -> b.write(item.slot());
            }
        }
    }

    // ------------------------------------------------------------------ claiming

    @Override
    public Object tryTake() {
        ExcerptTailer t = tailer();
        for (;;) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) return NONE;
                long i = dc.index();
                long c = ctl.get(CLAIM_CURSOR_OFFSET);
                while (i >= c) {
                    if (ctl.cas(CLAIM_CURSOR_OFFSET, c, i + 1)) {
                        // count first: an item that fails to decode is still taken (and reported by the caller)
                        ctl.getAndAdd(GOT_COUNT_OFFSET, 1);
                        if (c > 0 && rollCycle.toCycle(c) < rollCycle.toCycle(i)) releaseCyclesBefore(rollCycle.toCycle(i) - 1);
                        return decode(dc.wire().bytes());
                    }
                    c = ctl.get(CLAIM_CURSOR_OFFSET);
                }
                // claimed by another reader: closing the context moves past it
            }
        }
    }

    @Override
    public Object peek() {
        ExcerptTailer t = tailer();
        for (;;) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) return NONE;
                if (dc.index() >= ctl.get(CLAIM_CURSOR_OFFSET)) {
                    // stay on the unclaimed excerpt whatever happens: moving past it would let this reader's
                    // next claim jump the cursor over it
                    dc.rollbackOnClose();
                    return decode(dc.wire().bytes());
                }
            }
        }
    }

    private ExcerptTailer tailer() {
        ExcerptTailer t = tailers.get();
        if (t == null) {
            checkOpen();
            t = queue.createTailer();
            long c = ctl.get(CLAIM_CURSOR_OFFSET);
            // start at the cursor when it names an excerpt, else at the start of its cycle (older cycle
            // files may have been deleted), else at the start; the claim protocol skips what was taken
            if (c > 0 && !t.moveToIndex(c) && !t.moveToCycle(rollCycle.toCycle(c))) t.toStart();
            tailers.set(t);
        }
        return t;
    }

    private Object decode(Bytes<?> b) {
        byte tag = b.readByte();
        return switch (tag) {
            case EncodedItem.INT -> b.readInt();
            case EncodedItem.LONG -> b.readLong();
            case EncodedItem.SLOT -> {
                byte[] slot = new byte[(int) b.readRemaining()];
                b.read(slot);
                yield Codec.decode(slot, elementType);
            }
            default -> throw new IllegalStateException("corrupt queue item: unknown tag " + tag + " in " + dir);
        };
    }

    /** Deletes the files of cycles older than {@code cycle}: every item in them has been claimed. */
    private void releaseCyclesBefore(int cycle) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4")) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                String stem = name.substring(0, name.length() - 4);
                for (int k = Math.max(0, cycle - 48); k < cycle; k++) {
                    if (f.format(Instant.ofEpochMilli((long) k * rollCycle.lengthInMillis())).equals(stem)) {
                        Files.deleteIfExists(p);
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the context's directory removal takes whatever is left
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("queue is closed: dir=" + dir);
    }

    /** Closes the Chronicle queue, and with it every thread's appender and tailer. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.close();
    }
}
