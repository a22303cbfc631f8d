package io.mp4j.ipc.codec;

import java.util.List;

/**
 * The JDK types that lose their meaning in another process: a copy of a {@code ReentrantLock} or an
 * {@code AtomicInteger} would arrive unshared (each process locks its own lock, counts its own count), and
 * threads, executors, streams and open files cannot be copied at all. The codec refuses them, wherever they
 * sit in a value, naming the library's cross-process equivalent. {@link Shareable} objects (the library's
 * own locks, queues, values...) implement some of the same JDK interfaces and are never refused.
 *
 * <p>One look-up per class, cached: the check costs a {@link ClassValue} read on the encoding path.
 */
public final class ProcessLocalTypes {
    private record Rule(String type, String instead) {}

    private static final String LOCK = "use a lock shared by processes: ctx.rlock() (reentrant) or ctx.lock()";
    private static final String FILES = "open files, sockets and streams stay in the process that opened them:"
            + " pass a path (and open it in the child), or an end of ctx.pipe()";
    private static final String EXECUTORS = "threads and executors stay in the JVM that made them:"
            + " use ctx.process(...), ctx.pool(n) or ctx.processPoolExecutor(n) from the parent";

    /** First match wins: more specific types before their supertypes. */
    private static final List<Rule> RULES = List.of(
            new Rule("java.util.concurrent.locks.Condition", "use ctx.condition() (or ctx.condition(lock))"),
            new Rule("java.util.concurrent.locks.ReadWriteLock", LOCK + " (there is no cross-process read-write lock)"),
            new Rule("java.util.concurrent.locks.Lock", LOCK),
            new Rule("java.util.concurrent.locks.StampedLock", LOCK),
            new Rule("java.util.concurrent.locks.AbstractQueuedSynchronizer", LOCK + ", or ctx.semaphore(n)"),
            new Rule("java.util.concurrent.locks.AbstractQueuedLongSynchronizer", LOCK + ", or ctx.semaphore(n)"),
            new Rule("java.util.concurrent.Semaphore", "use ctx.semaphore(permits) or ctx.boundedSemaphore(permits)"),
            new Rule("java.util.concurrent.CountDownLatch", "use ctx.event() (one signal for all) or ctx.barrier(parties)"),
            new Rule("java.util.concurrent.CyclicBarrier", "use ctx.barrier(parties)"),
            new Rule("java.util.concurrent.Phaser", "use ctx.barrier(parties)"),
            new Rule("java.util.concurrent.Exchanger", "use ctx.pipe()"),
            new Rule("java.util.concurrent.BlockingQueue", "use ctx.queue(), ctx.simpleQueue() or ctx.joinableQueue()"),
            new Rule("java.util.concurrent.atomic.AtomicInteger", "use a shared value: ctx.intValue(initial) (Python's Value('i', ...))"),
            new Rule("java.util.concurrent.atomic.AtomicLong", "use a shared value: ctx.longValue(initial) (Python's Value('q', ...))"),
            new Rule("java.util.concurrent.atomic.AtomicBoolean", "use a shared value: ctx.booleanValue(initial), or ctx.event()"),
            new Rule("java.util.concurrent.atomic.AtomicIntegerArray", "use a shared array: ctx.intArray(...) (Python's Array('i', ...))"),
            new Rule("java.util.concurrent.atomic.AtomicLongArray", "use a shared array: ctx.longArray(...) (Python's Array('q', ...))"),
            new Rule("java.util.concurrent.atomic.LongAdder", "use a shared value: ctx.longValue(0)"),
            new Rule("java.util.concurrent.atomic.LongAccumulator", "use a shared value: ctx.longValue(initial)"),
            new Rule("java.util.concurrent.atomic.DoubleAdder", "use a shared value: ctx.doubleValue(0)"),
            new Rule("java.util.concurrent.atomic.DoubleAccumulator", "use a shared value: ctx.doubleValue(initial)"),
            new Rule("java.util.concurrent.atomic.AtomicReference", "pass values through ctx.queue() or ctx.pipe(), or share a Value or Array"),
            new Rule("java.util.concurrent.atomic.AtomicReferenceArray", "pass values through ctx.queue() or ctx.pipe(), or share an Array"),
            new Rule("java.util.concurrent.atomic.AtomicMarkableReference", "pass values through ctx.queue() or ctx.pipe()"),
            new Rule("java.util.concurrent.atomic.AtomicStampedReference", "pass values through ctx.queue() or ctx.pipe()"),
            new Rule("java.util.concurrent.Future", "send the result (future.get()) rather than the future"),
            new Rule("java.util.concurrent.Executor", EXECUTORS),
            new Rule("java.lang.Thread", EXECUTORS),
            new Rule("java.lang.ThreadGroup", EXECUTORS),
            new Rule("java.lang.ThreadLocal", "a thread-local belongs to the threads of one JVM: set it in the child"),
            new Rule("java.util.Timer", EXECUTORS),
            new Rule("java.util.stream.BaseStream", "collect it first (stream.toList()) and send the list"),
            new Rule("java.util.Iterator", "collect it into a List and send the list"),
            new Rule("java.util.Spliterator", "collect it into a List and send the list"),
            new Rule("java.io.InputStream", FILES),
            new Rule("java.io.OutputStream", FILES),
            new Rule("java.io.Reader", FILES),
            new Rule("java.io.Writer", FILES),
            new Rule("java.io.FileDescriptor", FILES),
            new Rule("java.io.RandomAccessFile", FILES),
            new Rule("java.nio.channels.Channel", FILES),
            new Rule("java.nio.channels.Selector", FILES),
            new Rule("java.net.Socket", FILES),
            new Rule("java.net.ServerSocket", FILES),
            new Rule("java.net.DatagramSocket", FILES),
            new Rule("java.lang.Process", "pass its pid (process.pid()) instead"),
            new Rule("java.lang.ProcessHandle", "pass its pid (handle.pid()) instead"),
            new Rule("java.lang.ClassLoader", "a class loader stays in its JVM; the child has the parent's class path"),
            new Rule("java.lang.ref.Reference", "a weak or soft reference stays in its JVM: send the referent"),
            new Rule("java.lang.AutoCloseable", "an open resource (AutoCloseable) stays in the process that opened it:"
                    + " pass what it takes to open it again"));

    /** The rules' types, resolved once, in the order of {@link #RULES}. */
    private static final Class<?>[] TYPES = RULES.stream().map(r -> load(r.type())).toArray(Class<?>[]::new);

    private static final ClassValue<String> REFUSALS = new ClassValue<>() {
        @Override protected String computeValue(Class<?> c) { return compute(c); }
    };

    private ProcessLocalTypes() {}

    /**
     * Why a value of class {@code c} cannot travel to another process, naming what to use instead; {@code null}
     * when it may travel (as far as this rule goes: the codec may still fail on it).
     *
     * @param c the value's class
     * @return the reason, or null
     */
    public static String refusal(Class<?> c) { return REFUSALS.get(c); }

    /**
     * {@link #refusal} as an exception, for a value of class {@code c}.
     *
     * @param c the value's class
     * @return the exception to throw
     */
    public static CodecException refused(Class<?> c) {
        return new CodecException(refusal(c));
    }

    private static String compute(Class<?> c) {
        if (Shareable.class.isAssignableFrom(c)) return null;
        for (int i = 0; i < TYPES.length; i++) {
            Class<?> t = TYPES[i];
            if (t != null && t.isAssignableFrom(c)) {
                return "a " + c.getName() + (c == t ? "" : " (a " + t.getName() + ")") + " cannot travel to another process: "
                        + (t.getName().startsWith("java.util.concurrent") ? "it would arrive as an unshared copy; " : "")
                        + RULES.get(i).instead();
            }
        }
        return null;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
