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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.reflect.Type;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static io.mp4j.ipc.queue.QueueLayout.*;

/**
 * The item log on Chronicle Queue, with the claim protocol that makes every item go to exactly one reader,
 * and be returned by exactly one {@code get}, even when readers die.
 *
 * <p><b>Claim protocol.</b> Chronicle appends excerpts from every process in one total order (its
 * cross-process write lock), each with a log index that grows along that order (within a cycle file by
 * one, across cycle files by a jump). Every reader's tailer sees the same excerpts with the same indexes
 * in the same order. The control block holds the claim cursor: every excerpt with an index below it has
 * been claimed; and one claim slot per reader thread ({@link ClaimSlots}). A reader with slot {@code s} at
 * the excerpt with index {@code i}, seeing the cursor {@code c}:
 * <ul>
 *   <li>{@code c} locked (negative): another reader is moving it; wait, or undo its move if it died (below);
 *   <li>{@code i < c}: it was claimed by someone; skip it;
 *   <li>{@code i >= c}: write {@code from[s] = c}, then CAS the cursor from {@code c} to {@code LOCKED | s};
 *       success makes {@code s} the only one to move it: write {@code claim[s] = i}, then store the cursor
 *       {@code i + 1}. The item is claimed. Failure re-reads the cursor and decides again about the same excerpt.
 *   <li>once the item is decoded, {@code claim[s] = NO_CLAIM}: the item is delivered; {@code get} returns it.
 * </ul>
 * A reader moves past an excerpt only once it lies below the cursor, and the cursor only grows (an undo
 * below restores the value a lock hid), so when a reader claims {@code i} the cursor is above the excerpt
 * before {@code i}: each claim covers exactly one excerpt, each excerpt is claimed once, in log order.
 *
 * <p><b>Readers that die.</b> A reader's slot says where it died, and a dead reader writes nothing more, so
 * the reader that takes its slot over (by CAS of the owner word, once its process is gone) sees a stable state:
 * <ul>
 *   <li>cursor {@code LOCKED | s}: it died moving the cursor; the item is not claimed. Undo: clear
 *       {@code claim[s]}, then CAS the cursor back to {@code from[s]} (in this order: a taker that dies in
 *       between leaves the cursor locked, and the next one undoes it again; the other order would leave a
 *       claim that the cursor no longer covers, delivered twice);
 *   <li>{@code claim[s] = i}: it claimed {@code i} and never returned it; the taker reads excerpt {@code i},
 *       decodes it, clears the claim and returns it from its own {@code get}. Dying meanwhile, it leaves the same
 *       state to the next taker;
 *   <li>neither: nothing was pending; the slot is freed.
 * </ul>
 * So an item is delivered exactly when some {@code claim[s] = i} is cleared after its decoding, which
 * happens once. A reader that finds nothing to read looks for dead readers' slots at most every
 * {@link #ABANDONED_CHECK_NANOS}, and a waiting {@code get} does so while it waits.
 *
 * <p>Cycle files: when a claim moves the cursor into a newer cycle, every older cycle is fully claimed;
 * the claimer deletes the files of the cycles before the previous one (one is kept for slow readers still
 * inside it), and none holding an item claimed by a slot and not yet returned. The context's directory removal
 * takes the rest.
 *
 * <p>Large items: an encoding over {@link #INLINE_LIMIT} bytes goes to a file of its own in the queue's
 * {@code items} directory, and the excerpt names it; the file is written before the excerpt is appended
 * (removed again if the append fails) and deleted once the item is delivered.
 *
 * <p>Thread confinement: Chronicle appenders and tailers belong to one thread, so each thread gets its own,
 * and its own claim slot.
 */
final class ChronicleItemLog implements ItemLog {
    /** Roll cycle: hourly files by default; a test may ask for another with {@code mp4j.queue.rollCycle}. */
    static final String ROLL_CYCLE_PROPERTY = "mp4j.queue.rollCycle";
    /** The largest encoding stored inside the log; larger ones go to a file of their own. */
    static final int INLINE_LIMIT = 1 << 20;
    /** How often a reader that finds nothing looks for items claimed by readers that died. */
    static final long ABANDONED_CHECK_NANOS = 100_000_000L;
    /** How long a reader waits for a locked cursor before checking whether the locker died. */
    private static final long LOCKER_CHECK_NANOS = 100_000_000L;
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final AtomicLong FILES = new AtomicLong();

    private final SingleChronicleQueue queue;
    private final Path dir;
    private final Path itemsDir;
    private final ControlBlock ctl;
    private final ClaimSlots slots;
    private final Type elementType;
    /**
     * A queue of Integer (or Long) holds only ints (longs): their excerpts are the bare number, without the tag that
     * says what follows, so that an item takes 8 bytes of the log with Chronicle's header (12 with a tag) and the
     * producer writes fewer cache lines and pages per item.
     */
    private final boolean bareInts, bareLongs;
    private final RollCycle rollCycle;
    private final ThreadLocal<ExcerptAppender> appenders = new ThreadLocal<>();
    private final ThreadLocal<Reader> readers = new ThreadLocal<>();
    private volatile long nextAbandonedCheck = System.nanoTime();
    private volatile boolean closed;

    /**
     * The last thread's appender and reader, checked before the thread-locals: the common caller is one thread
     * putting or getting item after item, and a thread-local lookup costs more than the rest of a put's own work.
     * Immutable (or, for a Reader, touched only by its thread), so a racy read sees a whole object.
     */
    private Appender lastAppender;
    private Reader lastReader;

    /** A thread's appender, with the thread. */
    private record Appender(Thread thread, ExcerptAppender appender) {}

    /** A reader thread's own: its tailer, its claim slot, and the file of a large item it is delivering. */
    private static final class Reader {
        final Thread thread = Thread.currentThread();
        final ExcerptTailer tailer;
        final int slot;
        Path file;

        Reader(ExcerptTailer tailer, int slot) {
            this.tailer = tailer;
            this.slot = slot;
        }
    }

    /** Set to {@code true}, Chronicle loads its native POSIX binding as usual (see {@link #skipNativePosix}). */
    static final String NATIVE_POSIX_PROPERTY = "mp4j.queue.nativePosix";

    /**
     * Gives Chronicle its no-op POSIX binding when nothing in this JVM has loaded the native one yet. Chronicle's
     * first class loads the native binding eagerly (jnr-ffi: some two hundred classes, code generated at run time and
     * an {@code ldconfig} run: docs/journal/2026-12-07-first-use.md), and the log never calls it: it uses neither
     * msync modes nor pre-touching. An application that wants the binding sets {@value #NATIVE_POSIX_PROPERTY}.
     */
    static void skipNativePosix() {
        if (Boolean.getBoolean(NATIVE_POSIX_PROPERTY)) return;
        try {
            if (net.openhft.posix.internal.PosixAPIHolder.POSIX_API == null) net.openhft.posix.PosixAPI.useNoOpPosixApi();
        } catch (LinkageError e) {
            // another version of the binding: Chronicle loads what it loads
        }
    }

    /** Opens the log; the caller has applied {@link ChronicleSettings} before this first Chronicle use. */
    static ItemLog open(Path dir, Path itemsDir, ControlBlock ctl, Type elementType) {
        skipNativePosix();
        return new ChronicleItemLog(dir, itemsDir, ctl, elementType);
    }

    private ChronicleItemLog(Path dir, Path itemsDir, ControlBlock ctl, Type elementType) {
        this.dir = dir;
        this.itemsDir = itemsDir;
        this.ctl = ctl;
        this.slots = new ClaimSlots(ctl);
        this.elementType = elementType;
        this.bareInts = elementType == Integer.class;
        this.bareLongs = elementType == Long.class;
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
        ExcerptAppender a = appender();
        Path file = item.tag() == EncodedItem.SLOT && item.slot().length > INLINE_LIMIT ? writeItemFile(item.slot()) : null;
        try (DocumentContext dc = a.writingDocument()) {
            try {
                Bytes<?> b = dc.wire().bytes();
                switch (item.tag()) {
                    case EncodedItem.INT -> {
                        if (!bareInts) b.writeByte(EncodedItem.INT);
                        b.writeInt((int) item.scalar());
                    }
                    case EncodedItem.LONG -> {
                        if (!bareLongs) b.writeByte(EncodedItem.LONG);
                        b.writeLong(item.scalar());
                    }
                    default -> {
                        if (file == null) {
                            b.writeByte(EncodedItem.SLOT);
                            b.write(item.slot());
                        } else {
                            b.writeByte(FILE);
                            b.write(file.getFileName().toString().getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                dc.rollbackOnClose(); // a half-written excerpt must not be published
                throw e;
            }
        } catch (RuntimeException | Error e) {
            if (file != null) deleteQuietly(file);
            throw e;
        }
    }

    private ExcerptAppender appender() {
        Thread me = Thread.currentThread();
        Appender last = lastAppender;
        if (last != null && last.thread() == me) return last.appender();
        ExcerptAppender a = appenders.get();
        if (a == null) {
            checkOpen();
            a = queue.createAppender();
            appenders.set(a);
        }
        lastAppender = new Appender(me, a);
        return a;
    }

    /** The excerpt's tag for an item stored in a file of its own: the file's name follows. */
    private static final byte FILE = 4;

    private Path writeItemFile(byte[] slot) {
        Path file = itemsDir.resolve(PID + "-" + FILES.incrementAndGet());
        try {
            Files.createDirectories(itemsDir);
            Files.write(file, slot, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return file;
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException("cannot store a queue item of " + slot.length + " bytes in " + file + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ claiming

    @Override
    public Object tryTake() {
        Reader r = reader();
        ExcerptTailer t = r.tailer;
        int s = r.slot;
        for (;;) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) break;
                long i = dc.index();
                for (long c = cursor(); i >= c; c = cursor()) {
                    slots.setFrom(s, c);
                    if (ctl.cas(CLAIM_CURSOR_OFFSET, c, LOCKED | s)) {
                        slots.setClaim(s, i);
                        ctl.setRelease(CLAIM_CURSOR_OFFSET, i + 1);
                        if (c > 0 && rollCycle.toCycle(c) < rollCycle.toCycle(i)) releaseCyclesBefore(rollCycle.toCycle(i) - 1);
                        return deliver(r, s, dc.wire().bytes());
                    }
                }
                // claimed by another reader: closing the context moves past it
            }
        }
        return takeAbandoned(r);
    }

    /**
     * Decodes the item claimed in slot {@code s}, then marks it delivered and counts it (also when it fails to
     * decode: it was taken, and the caller reports the failure).
     */
    private Object deliver(Reader r, int s, Bytes<?> b) {
        try {
            return decode(r, b);
        } finally {
            slots.setClaim(s, NO_CLAIM);
            ctl.getAndAdd(GOT_COUNT_OFFSET, 1);
            if (r.file != null) {
                deleteQuietly(r.file);
                r.file = null;
            }
        }
    }

    /**
     * The item of a reader that died between claiming and returning it, taken over; or {@link #NONE}. Looks at
     * most every {@link #ABANDONED_CHECK_NANOS}, and only at slots holding a claim (a live reader holds one for
     * the few microseconds of a get).
     */
    private Object takeAbandoned(Reader r) {
        long now = System.nanoTime();
        if (now - nextAbandonedCheck < 0) return NONE;
        nextAbandonedCheck = now + ABANDONED_CHECK_NANOS;
        for (int s = 0; s < CLAIM_SLOTS; s++) {
            if (slots.claim(s) == NO_CLAIM) continue;
            long owner = slots.owner(s);
            if (!slots.takeOverIfDead(s, owner)) continue;
            Object item = settle(r, s);
            if (item != NONE) return item;
        }
        return NONE;
    }

    /**
     * Finishes or undoes what the dead reader of slot {@code s} left, once this thread owns the slot (see the class
     * comment); frees the slot. Returns the item to deliver, or {@link #NONE}.
     */
    private Object settle(Reader r, int s) {
        long c = ctl.get(CLAIM_CURSOR_OFFSET);
        if (c == (LOCKED | s)) {
            slots.setClaim(s, NO_CLAIM);
            ctl.cas(CLAIM_CURSOR_OFFSET, c, slots.from(s));
            slots.free(s);
            return NONE;
        }
        long i = slots.claim(s);
        if (i == NO_CLAIM) {
            slots.free(s);
            return NONE;
        }
        try (ExcerptTailer t = queue.createTailer()) {
            if (t.moveToIndex(i)) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (dc.isPresent() && dc.index() == i) {
                        try {
                            return deliver(r, s, dc.wire().bytes());
                        } finally {
                            slots.free(s);
                        }
                    }
                }
            }
        }
        // not reachable while the cycle files with claimed items are kept; nothing left to deliver
        slots.setClaim(s, NO_CLAIM);
        slots.free(s);
        return NONE;
    }

    /** The claim cursor, once no reader is moving it; undoes the move of a reader that died moving it. */
    private long cursor() {
        long c = ctl.get(CLAIM_CURSOR_OFFSET);
        return c >= 0 ? c : awaitUnlocked();
    }

    private long awaitUnlocked() {
        long lastCheck = System.nanoTime();
        for (int spins = 0; ; spins++) {
            long c = ctl.get(CLAIM_CURSOR_OFFSET);
            if (c >= 0) return c;
            if (spins < 64) Thread.onSpinWait();
            else Thread.yield(); // the locker may be waiting for this core
            long now = System.nanoTime();
            if (now - lastCheck >= LOCKER_CHECK_NANOS) {
                lastCheck = now;
                undoLockOfDeadReader(c);
            }
        }
    }

    /** If the reader whose slot locked the cursor (to {@code c}) died, undoes its move (see the class comment). */
    private void undoLockOfDeadReader(long c) {
        int s = (int) (c & ~LOCKED);
        long owner = slots.owner(s);
        if (!slots.takeOverIfDead(s, owner)) return;
        if (ctl.get(CLAIM_CURSOR_OFFSET) == c) {
            slots.setClaim(s, NO_CLAIM);
            ctl.cas(CLAIM_CURSOR_OFFSET, c, slots.from(s));
            slots.free(s);
        } else {
            // settled and leased again since c was read, by a reader that died too: leave it to takeAbandoned
            slots.giveBack(s, owner);
        }
    }

    @Override
    public Object peek() {
        Reader r = reader();
        ExcerptTailer t = r.tailer;
        for (;;) {
            try (DocumentContext dc = t.readingDocument()) {
                if (!dc.isPresent()) return NONE;
                if (dc.index() >= cursor()) {
                    // stay on the unclaimed excerpt whatever happens: moving past it would let this reader's
                    // next claim jump the cursor over it
                    dc.rollbackOnClose();
                    try {
                        return decode(null, dc.wire().bytes());
                    } catch (UncheckedIOException e) {
                        if (!(e.getCause() instanceof NoSuchFileException)) throw e;
                        // a large item delivered meanwhile (its file is gone): look again
                    }
                }
            }
        }
    }

    private Reader reader() {
        Reader last = lastReader;
        if (last != null && last.thread == Thread.currentThread()) return last;
        Reader r = readers.get();
        if (r == null) {
            checkOpen();
            ExcerptTailer t = queue.createTailer();
            long c = cursor();
            // start at the cursor when it names an excerpt, else at the start of its cycle (older cycle
            // files may have been deleted), else at the start; the claim protocol skips what was taken
            if (c > 0 && !t.moveToIndex(c) && !t.moveToCycle(rollCycle.toCycle(c))) t.toStart();
            r = new Reader(t, slots.lease());
            readers.set(r);
        }
        lastReader = r;
        return r;
    }

    /** Decodes an excerpt; for a large item, notes its file in {@code r} (to delete once delivered). */
    private Object decode(Reader r, Bytes<?> b) {
        if (bareInts) return b.readInt();
        if (bareLongs) return b.readLong();
        byte tag = b.readByte();
        return switch (tag) {
            case EncodedItem.INT -> b.readInt();
            case EncodedItem.LONG -> b.readLong();
            case EncodedItem.SLOT -> {
                byte[] slot = new byte[(int) b.readRemaining()];
                b.read(slot);
                yield Codec.decode(slot, elementType);
            }
            case FILE -> {
                byte[] name = new byte[(int) b.readRemaining()];
                b.read(name);
                Path file = itemsDir.resolve(new String(name, StandardCharsets.US_ASCII));
                byte[] slot;
                try {
                    slot = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read a queue item's file " + file + ": " + e, e);
                }
                if (r != null) r.file = file;
                yield Codec.decode(slot, elementType);
            }
            default -> throw new IllegalStateException("corrupt queue item: unknown tag " + tag + " in " + dir);
        };
    }

    /**
     * Deletes the files of cycles older than {@code cycle}, and older than the cycle of any item claimed and
     * not yet returned (a dead reader's, which another reader will read again): every item in them has been
     * delivered.
     */
    private void releaseCyclesBefore(int cycle) {
        for (int s = 0; s < CLAIM_SLOTS; s++) {
            long i = slots.claim(s);
            if (i != NO_CLAIM && slots.owner(s) != 0) cycle = Math.min(cycle, rollCycle.toCycle(i));
        }
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

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the context's directory removal takes it
        }
    }

    /** Closes the Chronicle queue, and with it every thread's appender and tailer; frees this process's claim slots. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        slots.freeAll();
        queue.close();
    }
}
