package io.mp4j.ipc.sync;

import io.mp4j.ipc.shm.Segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Words of a mapped segment at a base offset: the state of one primitive. Package-private plumbing. */
abstract class SharedWords {
    static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    static final int PID = (int) ProcessHandle.current().pid();

    /**
     * Every subclass, loaded (not initialised) with this class. While only one subclass is loaded, the JIT
     * compiles the methods here on the assumption that it is the only one, and the first load of another
     * throws every such method away: a warm FORK child whose task decoded a {@code Condition} handle lost the
     * lock paths its standby had compiled (all "made not entrant", a failed
     * {@code abstract_with_unique_concrete_subtype} dependency; docs/journal/2026-12-07-figures-from-code-comments.md#locks-and-waiting).
     * With all of them loaded from the start, no such assumption is ever made.
     */
    static final java.util.List<Class<? extends SharedWords>> SUBCLASSES = java.util.List.of(
            OwnerSync.class, Semaphore.Words.class, Event.class, Condition.class, Barrier.class);

    final Segment segment;
    final MemorySegment m;
    final long base;

    /** Words in a shared segment; starts nothing (see {@link #linkAhead}). */
    SharedWords(Segment segment, long base) {
        this(segment, segment.memory(), base);
        io.mp4j.ipc.JvmOptions.checkNativeAccess("a lock, semaphore, event, condition, barrier or shared value");
    }

    /**
     * Called first by every create and attach of a primitive made to wait (a barrier, event, semaphore, condition),
     * never by a constructor: links the futex calls now, on a daemon thread, rather than at its first wait. A lock,
     * mostly taken free, leaves the link to its first contended wait, which polls meanwhile (a Value's lock used once
     * never links: docs/journal/2026-12-07-first-use.md).
     */
    static void linkAhead() { Futex.linkAhead(); }

    /** Words in private memory ({@code segment} null): for warming the code up, never shared. */
    SharedWords(Segment segment, MemorySegment m, long base) {
        if ((base & 7) != 0) throw new IllegalArgumentException("base offset must be 8-byte aligned: base=" + base);
        this.segment = segment;
        this.m = m;
        this.base = base;
    }

    final int getInt(long off) { return (int) INT.getVolatile(m, base + off); }
    final void setInt(long off, int v) { INT.setVolatile(m, base + off, v); }
    final boolean casInt(long off, int expect, int update) { return INT.compareAndSet(m, base + off, expect, update); }
    final int addInt(long off, int delta) { return (int) INT.getAndAdd(m, base + off, delta); }
    final long getLong(long off) { return (long) LONG.getVolatile(m, base + off); }
    final void setLong(long off, long v) { LONG.setVolatile(m, base + off, v); }
    final boolean casLong(long off, long expect, long update) { return LONG.compareAndSet(m, base + off, expect, update); }

    static long nanos(long timeout, java.util.concurrent.TimeUnit unit) {
        if (unit == null) throw new NullPointerException("unit");
        return Math.max(0, unit.toNanos(timeout));
    }

    /**
     * Seconds as Python gives them to nanoseconds (-1: no limit): null waits without limit; zero or negative does not
     * wait (as CPython's {@code SemLock.acquire}, which treats a negative timeout as 0).
     */
    static long seconds(Double timeout) {
        if (timeout == null) return -1;
        return timeout <= 0 ? 0 : (long) (timeout * 1e9);
    }
}
