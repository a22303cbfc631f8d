package io.mp4j.ipc.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Linux futexes on words of shared (mapped) memory, through the JDK 25 foreign-function API.
 *
 * <p>Platforms: Linux on x86_64 (supported and tested). Elsewhere ({@link #isSupported()} false: Linux on
 * aarch64 and others, whose {@code SYS_futex} numbers differ, and other systems) {@link WaitStrategy} never
 * calls this class: its waiters poll with short parks instead (tested on x86_64 by overriding {@code os.arch}).
 *
 * <p>Uses {@code FUTEX_WAIT} (0) and {@code FUTEX_WAKE} (1), not their {@code _PRIVATE} variants, which do
 * not work across processes. The word must be a 4-byte aligned {@code int} of a native segment (a mapped
 * file: the kernel keys the futex by inode and offset, so every process mapping the file shares it).
 *
 * <p>Both calls take the raw address of the word, so a segment's arena may be closed while a thread is
 * blocked here (the waiter then returns on its timeout or a wake and fails on its next access). Never
 * linked with {@code Linker.Option.critical}: a blocked {@code FUTEX_WAIT} must not hold up safepoints.
 *
 * <p>Thread-safe; no allocation per call (the timespec and the errno capture are per thread).
 */
public final class Futex {
    /** {@link #wait} returned because it was woken (or spuriously): re-check the word. */
    public static final int WOKEN = 0;
    /** The word did not hold the expected value when the kernel checked it. */
    public static final int EAGAIN = 11;
    /** The timeout elapsed. */
    public static final int ETIMEDOUT = 110;
    /** A signal interrupted the wait. */
    public static final int EINTR = 4;

    private static final long SYS_FUTEX = 202; // x86_64
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;

    private static final boolean SUPPORTED;
    private static final VarHandle TV_SEC = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();
    private static final AtomicBoolean LINK_STARTED = new AtomicBoolean();
    /** Set once linking ended (linked or failed): from then on a call never waits for it. */
    private static volatile boolean linkEnded;

    static {
        String arch = System.getProperty("os.arch");
        SUPPORTED = System.getProperty("os.name", "").toLowerCase().contains("linux")
                && ("amd64".equals(arch) || "x86_64".equals(arch));
    }

    /**
     * The downcall, linked when this class is initialised. Linking is the expensive part of a futex in a fresh
     * JVM (the linker's classes, the handle and its first call; figures in docs/journal/2026-12-03-locks-queues-pipes.md),
     * so it is a class of its own: {@link #linkAhead} initialises it on a daemon thread. Meanwhile {@link WaitStrategy}'s waiters poll instead of sleeping here ({@link #ready}); a
     * waker that needs it (a sleeper of another, linked JVM) waits for that initialisation (the JVM's class
     * initialisation lock) instead of linking a second time.
     */
    private static final class Native {
        static final MethodHandle SYSCALL;
        static final StructLayout CAPTURE_LAYOUT;
        static final VarHandle ERRNO;
        /** Per-thread scratch: errno capture area, then a {@code struct timespec} (16 bytes). */
        static final ThreadLocal<MemorySegment> SCRATCH;

        static {
            CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
            ERRNO = CAPTURE_LAYOUT.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
            // long syscall(long number, ...): every variadic argument passed as a full 64-bit word.
            SYSCALL = io.mp4j.ipc.Libc.link("syscall",
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
            SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT.byteSize() + 32, 8));
        }

        /** Initialises this class and makes a first call of each kind (its first call costs milliseconds too). */
        static void link() {
            MemorySegment word = Arena.ofAuto().allocate(8, 8);
            wake(word, 0, 1);
            Futex.wait(word, 0, 1, 0);
        }
    }

    /**
     * Starts linking the futex calls on a daemon thread, once per JVM, so that the first contended wait does not
     * pay for it: called when a primitive is made or attached. A no-op where futexes are not supported, after the
     * first call, and in a JVM that does not wait at all it costs that thread's CPU only.
     */
    public static void linkAhead() {
        io.mp4j.ipc.JvmOptions.checkNativeAccess("a lock, semaphore, event, condition, barrier or shared value");
        if (!SUPPORTED || !LINK_STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(Futex::linkNow, "mp4j-futex-link");
        t.setDaemon(true);
        t.start();
    }

    /** Links the futex calls on the calling thread (for an ahead-of-time cache's training run); quiet on failure. */
    public static void linkNow() {
        if (!SUPPORTED) return;
        LINK_STARTED.set(true);
        try {
            Native.link();
        } catch (Throwable e) {
            // the first real call reports it (its class initialisation fails again, with the cause)
        } finally {
            linkEnded = true;
        }
    }

    /**
     * Whether a call returns without waiting for the link: true once {@link #linkAhead}'s thread (or
     * {@link #linkNow}) is done, whether it succeeded or not (a failed link fails the calls themselves), and where
     * futexes are not supported (where the calls throw). While false, {@link WaitStrategy} polls instead of
     * sleeping here; where futexes are not supported it always does.
     *
     * @return whether calls no longer wait for the link
     */
    public static boolean ready() { return linkEnded || !SUPPORTED; }

    /** Whether this JVM has started linking the futex calls (for tests). */
    static boolean linkStarted() { return LINK_STARTED.get(); }

    private Futex() {}

    /**
     * Whether futexes are available here (Linux on x86_64).
     *
     * @return whether they are
     */
    public static boolean isSupported() { return SUPPORTED; }

    /**
     * Blocks while the word at {@code offset} holds {@code expected}, for at most {@code timeoutNanos}
     * (negative: no limit).
     *
     * @return {@link #WOKEN} (woken, possibly spuriously), {@link #EAGAIN} (the word differed),
     *         {@link #ETIMEDOUT} or {@link #EINTR}; the caller re-checks the word in every case
     * @throws IllegalArgumentException if the word is misaligned or outside the segment
     * @param seg a native or mapped segment
     * @param offset the word's offset, 4-byte aligned
     * @param expected the value to sleep on
     * @param timeoutNanos the longest sleep, negative for none
     */
    public static int wait(MemorySegment seg, long offset, int expected, long timeoutNanos) {
        long addr = address(seg, offset);
        MemorySegment scratch = Native.SCRATCH.get();
        long ts = 0;
        if (timeoutNanos >= 0) {
            long tsOff = align8(Native.CAPTURE_LAYOUT.byteSize());
            TV_SEC.set(scratch, tsOff, timeoutNanos / 1_000_000_000L);
            TV_SEC.set(scratch, tsOff + 8, timeoutNanos % 1_000_000_000L);
            ts = scratch.address() + tsOff;
        }
        long r;
        try {
            r = (long) Native.SYSCALL.invokeExact(scratch, SYS_FUTEX, addr, (long) FUTEX_WAIT, (long) expected, ts, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed: " + t, t);
        }
        if (r == 0) return WOKEN;
        int errno = (int) Native.ERRNO.get(scratch, 0L);
        if (errno == EAGAIN || errno == ETIMEDOUT || errno == EINTR) return errno;
        throw new IllegalStateException("futex wait failed: errno=" + errno + " address=0x" + Long.toHexString(addr));
    }

    /**
     * Wakes at most {@code count} threads (of any process) blocked on the word at {@code offset}.
     *
     * @return how many were woken
     * @param seg a native or mapped segment
     * @param offset the word's offset, 4-byte aligned
     * @param count how many to wake at most, positive
     */
    public static int wake(MemorySegment seg, long offset, int count) {
        if (count <= 0) throw new IllegalArgumentException("count must be positive: count=" + count);
        long addr = address(seg, offset);
        MemorySegment scratch = Native.SCRATCH.get();
        long r;
        try {
            r = (long) Native.SYSCALL.invokeExact(scratch, SYS_FUTEX, addr, (long) FUTEX_WAKE, (long) count, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed: " + t, t);
        }
        if (r < 0) {
            int errno = (int) Native.ERRNO.get(scratch, 0L);
            throw new IllegalStateException("futex wake failed: errno=" + errno + " address=0x" + Long.toHexString(addr));
        }
        return (int) r;
    }

    private static long address(MemorySegment seg, long offset) {
        if (!SUPPORTED) {
            throw new UnsupportedOperationException("futexes need Linux on x86_64: os.name="
                    + System.getProperty("os.name") + " os.arch=" + System.getProperty("os.arch"));
        }
        if (!seg.isNative()) throw new IllegalArgumentException("a futex word must be in native memory: segment=" + seg);
        if (offset < 0 || offset + 4 > seg.byteSize()) {
            throw new IllegalArgumentException("futex word outside the segment: offset=" + offset + " size=" + seg.byteSize());
        }
        long addr = seg.address() + offset;
        if ((addr & 3) != 0) throw new IllegalArgumentException("a futex word must be 4-byte aligned: offset=" + offset);
        return addr;
    }

    private static long align8(long n) { return (n + 7) & ~7L; }

    /** The int at {@code offset}, read with volatile semantics (a helper for tests and callers). */
    static int getVolatile(MemorySegment seg, long offset) { return (int) WORD.getVolatile(seg, offset); }
}
