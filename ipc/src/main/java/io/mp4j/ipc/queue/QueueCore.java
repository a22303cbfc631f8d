package io.mp4j.ipc.queue;

import io.mp4j.ipc.JvmOptions;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.sync.Futex;
import io.mp4j.ipc.sync.WaitStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mp4j.ipc.queue.QueueLayout.*;

/**
 * What every queue class hands its calls to: the control block (counters and wait words), the item log
 * (opened on the first put or get, so that a process that only passes the queue on never loads the
 * storage library) and the waiting.
 *
 * <p>Timeouts are in nanoseconds: negative waits without limit, 0 does not wait.
 *
 * <p>Invariants, with every counter only growing except {@code reserved} and {@code unfinished}:
 * {@code gotCount <= number of excerpts}, {@code putCount} counts completed appends;
 * bounded queues keep {@code reserved - gotCount <= maxsize}, a slot being taken before the append;
 * {@code unfinished >= 0} is raised before the append and lowered by {@code taskDone}.
 */
final class QueueCore {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String CONTROL_FILE = "control";
    private static final String LOG_DIR = "log";
    private static final String ITEMS_DIR = "items";
    /**
     * The system property that sets the largest encoded item a put accepts, in bytes (read at each put of an
     * item the codec encodes; default {@value #DEFAULT_MAX_ITEM_BYTES}, 1 GiB).
     */
    static final String MAX_ITEM_BYTES_PROPERTY = "mp4j.queue.maxItemBytes";
    static final long DEFAULT_MAX_ITEM_BYTES = 1L << 30;

    final Path dir;
    final Class<?> elementType;
    final int kind;
    final long maxsize;
    private final ControlBlock ctl;
    /**
     * Spins four times the usual budget before sleeping: a getter behind a producer waits out the producer's short
     * stalls (a new page of the log, a moment off its core) instead of sleeping, which costs the producer a wake-up
     * call and the getter a wake-up's latency. The budget shrinks again when sleeps are long.
     */
    private final WaitStrategy wait = new WaitStrategy(4 * WaitStrategy.DEFAULT_MAX_SPINS);
    private volatile ItemLog log;
    private volatile boolean closed;

    private QueueCore(Path dir, Class<?> elementType, int kind, ControlBlock ctl) {
        this.dir = dir;
        this.elementType = elementType;
        this.kind = kind;
        this.ctl = ctl;
        this.maxsize = ctl.maxsize();
    }

    static QueueCore create(Path resourceDir, Class<?> elementType, int kind, int maxsize) {
        Objects.requireNonNull(resourceDir, "resourceDir");
        Objects.requireNonNull(elementType, "elementType");
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must not be negative (0 means unbounded): maxsize=" + maxsize);
        JvmOptions.checkForQueues("a queue");
        Futex.linkAhead(); // its getters and putters wait: link the futex calls now, not at the first wait
        Path dir = resourceDir.resolve("queue-" + COUNTER.incrementAndGet());
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create queue directory " + dir + ": " + e.getMessage(), e);
        }
        ControlBlock ctl = ControlBlock.create(dir.resolve(CONTROL_FILE), kind, maxsize);
        return new QueueCore(dir, Codec.boxed(elementType), kind, ctl);
    }

    static QueueCore attach(QueueHandle h, int expectedKind) {
        Objects.requireNonNull(h, "handle");
        JvmOptions.checkForQueues("a queue");
        Futex.linkAhead();
        Path dir = Paths.get(h.dir());
        ControlBlock ctl = ControlBlock.attach(dir.resolve(CONTROL_FILE));
        if (ctl.kind() != h.kind() || h.kind() != expectedKind) {
            throw new IllegalStateException("queue kind mismatch: expected=" + kindName(expectedKind)
                    + " found=" + kindName(ctl.kind()) + " dir=" + dir);
        }
        QueueCore core = new QueueCore(dir, h.resolveElementType(), h.kind(), ctl);
        if (inChildJvm()) core.openEagerly();
        return core;
    }

    /**
     * Whether this JVM is a child started by the library. A child that receives a queue opens its log
     * while it starts (opening Chronicle is slow: docs/queues.md), before its target runs, rather than inside the target's first
     * put or get. The coordinator opens lazily: it often only makes queues and passes them on, and it
     * decodes every launch message once to check it, which must not open anything.
     */
    private static boolean inChildJvm() { return io.mp4j.ipc.ChildFlag.isChild(); }

    private void openEagerly() {
        try {
            log();
            Warmup.once(dir);
        } catch (RuntimeException e) {
            // reported by the first put or get
        }
    }

    QueueHandle handle() { return new QueueHandle(dir.toString(), elementType.getName(), kind); }

    boolean bounded() { return maxsize > 0; }

    // ------------------------------------------------------------------ put

    /** Puts {@code item}; false when the queue stayed full for the whole timeout. */
    boolean put(Object item, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(item, "a queue item must not be null: use a sentinel value of the element type");
        if (!elementType.isInstance(item)) {
            throw new ClassCastException("cannot put a " + item.getClass().getName() + " into a queue of "
                    + elementType.getName() + ": item=" + item);
        }
        EncodedItem encoded = EncodedItem.encode(item, elementType); // fails here, in the caller
        if (encoded.slot() != null) checkSize(encoded.slot().length);
        checkOpen();
        checkNotShutDown();
        ItemLog l = log();
        if (bounded() && !reserve(timeoutNanos)) return false;
        boolean joinable = kind == KIND_JOINABLE;
        if (joinable) ctl.getAndAdd(UNFINISHED_OFFSET, 1);
        try {
            l.append(encoded);
        } catch (RuntimeException | Error e) {
            if (bounded()) ctl.getAndAdd(RESERVED_OFFSET, -1);
            if (joinable && ctl.getAndAdd(UNFINISHED_OFFSET, -1) == 1) wake(UNFINISHED_OFFSET, JOIN_SLEEPERS_OFFSET);
            throw e;
        }
        ctl.getAndAdd(PUT_COUNT_OFFSET, 1);
        wakeOne(PUT_COUNT_OFFSET, GET_SLEEPERS_OFFSET);
        return true;
    }

    private static void checkSize(int size) {
        long limit = Long.getLong(MAX_ITEM_BYTES_PROPERTY, DEFAULT_MAX_ITEM_BYTES);
        if (size > limit) {
            throw new IllegalArgumentException("queue item too large: size=" + size + " bytes encoded, limit=" + limit
                    + " bytes (system property " + MAX_ITEM_BYTES_PROPERTY + ")");
        }
    }

    /** Takes a slot of a bounded queue, waiting while it is full. */
    private boolean reserve(long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        boolean waited = false;
        for (;;) {
            int seen = ctl.word(GOT_COUNT_OFFSET);
            long r = ctl.get(RESERVED_OFFSET);
            if (r - ctl.get(GOT_COUNT_OFFSET) < maxsize) {
                if (!ctl.cas(RESERVED_OFFSET, r, r + 1)) continue;
                // pass the wake-up on while slots are left: takers wake one producer at a time
                if (waited && r + 1 - ctl.get(GOT_COUNT_OFFSET) < maxsize) wakeOne(GOT_COUNT_OFFSET, PUT_SLEEPERS_OFFSET);
                return true;
            }
            checkNotShutDown();
            long left = remaining(timeoutNanos, deadline);
            if (left == 0) return false;
            waited = true;
            wait.awaitChange(ctl.seg, GOT_COUNT_OFFSET + ControlBlock.LOW, PUT_SLEEPERS_OFFSET, seen, left, true);
        }
    }

    // ------------------------------------------------------------------ get

    /**
     * Takes the oldest item, or returns {@link ItemLog#NONE} when none came within the timeout.
     *
     * @throws QueueShutDownException once the queue is shut down and empty, or shut down immediately
     */
    Object get(long timeoutNanos) throws InterruptedException {
        checkOpen();
        ItemLog l = log();
        if (state() == STATE_SHUT_DOWN_IMMEDIATE) throw shutDown(true);
        Object item = l.tryTake();
        if (item != ItemLog.NONE) return taken(item);
        if (state() != STATE_OPEN) throw shutDown(false);
        if (timeoutNanos == 0) return ItemLog.NONE;
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        boolean slept = false;
        for (;;) {
            item = pollLog(l);
            if (item == ItemLog.NONE) {
                // the put counter is read only now, before a last look at the log and a sleep: reading it while
                // the producer puts would take its cache line from the producer at every put
                int seen = ctl.word(PUT_COUNT_OFFSET);
                item = l.tryTake();
                if (item == ItemLog.NONE) {
                    if (state() != STATE_OPEN) throw shutDown(false);
                    long left = remaining(timeoutNanos, deadline);
                    if (left == 0) return ItemLog.NONE;
                    int polls = logPolls;
                    if (WaitStrategy.sleep(ctl.seg, PUT_COUNT_OFFSET + ControlBlock.LOW, GET_SLEEPERS_OFFSET, seen, left, true)) {
                        if (polls < MAX_LOG_POLLS) logPolls = polls << 1;
                    } else if (polls > MIN_LOG_POLLS) {
                        logPolls = polls >> 1;
                    }
                    slept = true;
                    continue;
                }
            }
            // this getter may have been the one woken: pass the wake-up on while items are left
            if (slept && qsizeNow() > 0) wakeOne(PUT_COUNT_OFFSET, GET_SLEEPERS_OFFSET);
            return taken(item);
        }
    }

    /** The bounds of a getter's adaptive number of log polls before it sleeps (see {@link #pollLog}). */
    static final int MIN_LOG_POLLS = 64, MAX_LOG_POLLS = 2048;

    /**
     * How many times a getter that caught up with the producers polls the log before it sleeps: doubled when a
     * sleep turns out short (polling longer would have caught the item), halved after a long one (the producers
     * were idle). A hint shared racily by this queue object's getters, as {@link WaitStrategy}'s budget.
     */
    private int logPolls = 256;

    /**
     * Polls the log before a getter sleeps on the put counter: a getter that caught up with a producer finds its
     * next item here, reading only what the producer writes anyway (the excerpt), whereas spinning on the put
     * counter would take its cache line from the producer at every put.
     */
    private Object pollLog(ItemLog l) {
        for (int i = logPolls; i > 0; i--) {
            Thread.onSpinWait();
            Object item = l.tryTake();
            if (item != ItemLog.NONE) return item;
        }
        return ItemLog.NONE;
    }

    private Object taken(Object item) {
        if (bounded()) wakeOne(GOT_COUNT_OFFSET, PUT_SLEEPERS_OFFSET);
        return item;
    }

    Object peek() {
        checkOpen();
        return log().peek();
    }

    // ------------------------------------------------------------------ sizes

    /** @throws IllegalStateException once this queue object is closed */
    int qsize() {
        checkOpen();
        return qsizeNow();
    }

    /** The size without the closed check (for toString and internal use). */
    int qsizeNow() {
        long n = ctl.get(PUT_COUNT_OFFSET) - ctl.get(GOT_COUNT_OFFSET);
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
    }

    boolean isFull() {
        checkOpen();
        return bounded() && ctl.get(RESERVED_OFFSET) - ctl.get(GOT_COUNT_OFFSET) >= maxsize;
    }

    int remainingCapacity() {
        checkOpen();
        if (!bounded()) return Integer.MAX_VALUE;
        return (int) Math.max(0, maxsize - (ctl.get(RESERVED_OFFSET) - ctl.get(GOT_COUNT_OFFSET)));
    }

    // ------------------------------------------------------------------ shutdown

    private int state() { return ctl.getInt(STATE_OFFSET); }

    boolean isShutDown() { return state() != STATE_OPEN; }

    private void checkNotShutDown() {
        if (state() != STATE_OPEN) throw shutDown(false);
    }

    private QueueShutDownException shutDown(boolean immediate) {
        return new QueueShutDownException("queue is shut down" + (immediate ? " immediately" : "") + ": dir=" + dir);
    }

    /**
     * Python 3.13's {@code shutdown(immediate)}: puts fail from now on, in every process; gets take what is
     * left and then fail; with {@code immediate}, what is left is dropped (and its tasks marked done) and
     * gets fail at once. Wakes every waiting getter, putter and joiner.
     */
    void shutdown(boolean immediate) {
        checkOpen();
        int to = immediate ? STATE_SHUT_DOWN_IMMEDIATE : STATE_SHUT_DOWN;
        for (int s; (s = state()) < to; ) {
            if (ctl.casInt(STATE_OFFSET, s, to)) break;
        }
        if (immediate) drop();
        wake(PUT_COUNT_OFFSET, GET_SLEEPERS_OFFSET);
        wake(GOT_COUNT_OFFSET, PUT_SLEEPERS_OFFSET);
    }

    /** Takes and drops every item left; in a joinable queue, marks each one's task done. */
    private void drop() {
        ItemLog l = log();
        for (;;) {
            Object item;
            try {
                item = l.tryTake();
            } catch (io.mp4j.ipc.codec.CodecException | UncheckedIOException e) {
                item = e; // taken, but not decodable: dropped all the same
            }
            if (item == ItemLog.NONE) return;
            if (kind == KIND_JOINABLE) taskDone();
        }
    }

    // ------------------------------------------------------------------ joinable

    void taskDone() {
        for (;;) {
            long u = ctl.get(UNFINISHED_OFFSET);
            if (u <= 0) throw new IllegalStateException("taskDone() called more times than there were items put: unfinished=" + u);
            if (ctl.cas(UNFINISHED_OFFSET, u, u - 1)) {
                if (u == 1) wake(UNFINISHED_OFFSET, JOIN_SLEEPERS_OFFSET);
                return;
            }
        }
    }

    /** Waits until every item put has been marked done; false when the timeout ended first. */
    boolean join(long timeoutNanos) throws InterruptedException {
        checkOpen();
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        for (;;) {
            int seen = ctl.word(UNFINISHED_OFFSET);
            if (ctl.get(UNFINISHED_OFFSET) == 0) return true;
            long left = remaining(timeoutNanos, deadline);
            if (left == 0) return false;
            wait.awaitChange(ctl.seg, UNFINISHED_OFFSET + ControlBlock.LOW, JOIN_SLEEPERS_OFFSET, seen, left, true);
        }
    }

    long unfinished() { return ctl.get(UNFINISHED_OFFSET); }

    /** The shared control block (for tests that stage a dead consumer's state). */
    ControlBlock control() { return ctl; }

    /** Getters of every process asleep on this queue (for tests). */
    int sleepingGetters() { return WaitStrategy.sleepers(ctl.seg, GET_SLEEPERS_OFFSET); }

    /** Putters of every process asleep on this bounded queue (for tests). */
    int sleepingPutters() { return WaitStrategy.sleepers(ctl.seg, PUT_SLEEPERS_OFFSET); }

    /** Callers of join of every process asleep on this joinable queue (for tests). */
    int sleepingJoiners() { return WaitStrategy.sleepers(ctl.seg, JOIN_SLEEPERS_OFFSET); }

    // ------------------------------------------------------------------ lifecycle

    private ItemLog log() {
        ItemLog l = log;
        if (l != null) return l;
        synchronized (this) {
            checkOpen();
            if (log == null) {
                ChronicleSettings.apply();
                log = ChronicleItemLog.open(dir.resolve(LOG_DIR), dir.resolve(ITEMS_DIR), ctl, elementType);
            }
            return log;
        }
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException("queue is closed: dir=" + dir);
    }

    boolean isClosed() { return closed; }

    synchronized void close() {
        if (closed) return;
        closed = true;
        ItemLog l = log;
        if (l != null) l.close();
    }

    /** Wakes every sleeper on a counter (join: every joiner goes on once the count is zero). */
    private void wake(long counterOffset, long sleepersOffset) {
        WaitStrategy.wake(ctl.seg, counterOffset + ControlBlock.LOW, sleepersOffset, Integer.MAX_VALUE);
    }

    /**
     * Wakes one sleeper on a counter, with no system call while an earlier wake-up is still on its way (a
     * producer putting into a queue whose consumer sleeps would otherwise make one per item). A woken getter
     * or putter passes the wake-up on while items or slots are left, so every sleeper that can go on does.
     */
    private void wakeOne(long counterOffset, long sleepersOffset) {
        WaitStrategy.wakeOne(ctl.seg, counterOffset + ControlBlock.LOW, sleepersOffset);
    }

    /** Nanoseconds left: -1 without limit, 0 when none is left, else the remaining time. */
    private static long remaining(long timeoutNanos, long deadline) {
        if (timeoutNanos < 0) return -1;
        if (timeoutNanos == 0) return 0;
        long left = deadline - System.nanoTime();
        return left <= 0 ? 0 : left;
    }
}
