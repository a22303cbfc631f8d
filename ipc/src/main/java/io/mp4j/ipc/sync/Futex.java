package io.mp4j.ipc.sync;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Linux futexes on words of shared (mapped) memory, through the JDK 25 foreign-function API.
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

    private static final MethodHandle SYSCALL;
    private static final StructLayout CAPTURE_LAYOUT;
    private static final VarHandle ERRNO;
    private static final VarHandle TV_SEC = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    static {
        String arch = System.getProperty("os.arch");
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
                || !("amd64".equals(arch) || "x86_64".equals(arch))) {
            SYSCALL = null;
            CAPTURE_LAYOUT = null;
            ERRNO = null;
        } else {
            Linker linker = Linker.nativeLinker();
            CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
            ERRNO = CAPTURE_LAYOUT.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
            // long syscall(long number, ...): every variadic argument passed as a full 64-bit word.
            SYSCALL = linker.downcallHandle(
                    linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
        }
    }

    /** Per-thread scratch: errno capture area, then a {@code struct timespec} (16 bytes). */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() ->
            Arena.ofAuto().allocate(CAPTURE_LAYOUT.byteSize() + 32, 8));

    private Futex() {}

    /** Whether futexes are available here (Linux on x86_64). */
    public static boolean isSupported() { return SYSCALL != null; }

    /**
     * Blocks while the word at {@code offset} holds {@code expected}, for at most {@code timeoutNanos}
     * (negative: no limit).
     *
     * @return {@link #WOKEN} (woken, possibly spuriously), {@link #EAGAIN} (the word differed),
     *         {@link #ETIMEDOUT} or {@link #EINTR}; the caller re-checks the word in every case
     * @throws IllegalArgumentException if the word is misaligned or outside the segment
     */
    public static int wait(MemorySegment seg, long offset, int expected, long timeoutNanos) {
        long addr = address(seg, offset);
        MemorySegment scratch = SCRATCH.get();
        long ts = 0;
        if (timeoutNanos >= 0) {
            long tsOff = align8(CAPTURE_LAYOUT.byteSize());
            TV_SEC.set(scratch, tsOff, timeoutNanos / 1_000_000_000L);
            TV_SEC.set(scratch, tsOff + 8, timeoutNanos % 1_000_000_000L);
            ts = scratch.address() + tsOff;
        }
        long r;
        try {
            r = (long) SYSCALL.invokeExact(scratch, SYS_FUTEX, addr, (long) FUTEX_WAIT, (long) expected, ts, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed: " + t, t);
        }
        if (r == 0) return WOKEN;
        int errno = (int) ERRNO.get(scratch, 0L);
        if (errno == EAGAIN || errno == ETIMEDOUT || errno == EINTR) return errno;
        throw new IllegalStateException("futex wait failed: errno=" + errno + " address=0x" + Long.toHexString(addr));
    }

    /**
     * Wakes at most {@code count} threads (of any process) blocked on the word at {@code offset}.
     *
     * @return how many were woken
     */
    public static int wake(MemorySegment seg, long offset, int count) {
        if (count <= 0) throw new IllegalArgumentException("count must be positive: count=" + count);
        long addr = address(seg, offset);
        MemorySegment scratch = SCRATCH.get();
        long r;
        try {
            r = (long) SYSCALL.invokeExact(scratch, SYS_FUTEX, addr, (long) FUTEX_WAKE, (long) count, 0L, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed: " + t, t);
        }
        if (r < 0) {
            int errno = (int) ERRNO.get(scratch, 0L);
            throw new IllegalStateException("futex wake failed: errno=" + errno + " address=0x" + Long.toHexString(addr));
        }
        return (int) r;
    }

    private static long address(MemorySegment seg, long offset) {
        if (SYSCALL == null) {
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
