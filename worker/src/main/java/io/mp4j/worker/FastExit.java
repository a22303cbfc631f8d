package io.mp4j.worker;

import io.mp4j.ipc.Libc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Map;

/**
 * Ends a child JVM after its task. {@code System.exit} first initialises the JDK's platform logging (it
 * logs {@code Runtime.exit} when asked to), which can cost more than the rest of a short child's life
 * (docs/journal/2026-12-07-figures-from-code-comments.md#exits). When nothing is registered to run at exit (no application shutdown hook,
 * no file to delete on exit) there is nothing for {@code System.exit} to do that {@code Runtime.halt}
 * does not, so the child ends after flushing its output; otherwise it exits normally and the hooks run.
 *
 * <p>Ending is libc's {@code _exit} when it has been linked ({@link #prepare}, done by warm JVMs), as
 * Python's {@code os._exit} after a child's target: {@code Runtime.halt} still stops the VM, which waits
 * for compiler threads in the middle of a compilation (most of a warm child's short life, measured).
 * Memory-mapped files are shared mappings and keep what was written; nothing else is lost that
 * {@code halt} would have kept.
 */
public final class FastExit {
    private static final java.util.concurrent.atomic.AtomicBoolean EXITING = new java.util.concurrent.atomic.AtomicBoolean();
    private static volatile MethodHandle exitCall;

    private FastExit() {}

    /**
     * True once {@link #exit} (or {@link #claimExit}) has begun: threads woken by its interrupts must not act on them.
     *
     * @return whether it has begun
     */
    public static boolean isExiting() { return EXITING.get(); }

    /**
     * Claims the end of this JVM for the caller (the parent watch, about to halt): true for the first
     * claimant only. A later {@link #exit} then waits for that end instead of racing it (a class initialised
     * by {@code exit} while the VM halts fails, and its error would be printed as the task's).
     *
     * @return whether the caller ends the JVM
     */
    public static boolean claimExit() { return EXITING.compareAndSet(false, true); }

    /**
     * Links libc's {@code _exit} now, so that {@link #exit} ends the process at once (a first downcall
     * link is costly in a fresh JVM; warm JVMs pay it ahead). Harmless where unavailable.
     */
    public static void prepare() {
        if (exitCall != null) return;
        // null where it cannot be linked: Runtime.halt does it, more slowly
        exitCall = Libc.linkOrNull("_exit", FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        nothingRunsAtExit(); // and link the look at the exit lists
    }

    /**
     * Ends this JVM with {@code code} after a task: halts when nothing is registered to run at exit, else runs {@code System.exit}. Never returns.
     *
     * @param code the exit status
     */
    public static void exit(int code) {
        System.out.flush();
        System.err.flush();
        if (!claimExit()) {
            // the parent watch is halting the JVM (its parent died): let it
            while (true) java.util.concurrent.locks.LockSupport.park();
        }
        if (nothingRunsAtExit()) {
            // The VM's exit waits for threads still in native code (a blocking read), for a long while:
            // interrupt those blocked in interruptible channels out of it first.
            MethodHandle call = exitCall;
            if (call != null) {
                try {
                    call.invokeExact(code);
                } catch (Throwable e) {
                    // fall through to halt
                }
            }
            Thread self = Thread.currentThread();
            for (Thread t : liveThreads()) {
                if (t != self && t.isDaemon()) t.interrupt();
            }
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }

    /**
     * The live platform threads, from the root thread group: unlike {@code Thread.getAllStackTraces()} no
     * safepoint and no stack walk (docs/journal/2026-12-07-figures-from-code-comments.md#exits).
     */
    static Thread[] liveThreads() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        if (g == null) return new Thread[0]; // this thread has ended
        while (g.getParent() != null) g = g.getParent();
        Thread[] all = new Thread[g.activeCount() + 8];
        int n;
        while ((n = g.enumerate(all, true)) == all.length) all = new Thread[all.length * 2];
        return java.util.Arrays.copyOf(all, n);
    }

    /** True only when it can prove that no shutdown hook and no delete-on-exit file is registered. */
    static boolean nothingRunsAtExit() {
        try {
            VarHandle[] lists = exitLists;
            if (lists == null) exitLists = lists = new VarHandle[]{
                    staticField("java.lang.ApplicationShutdownHooks", "hooks"), staticField("java.io.DeleteOnExitHook", "files")};
            return lists[0].get() instanceof Map<?, ?> m && m.isEmpty() && lists[1].get() instanceof Collection<?> c && c.isEmpty();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false; // not opened to us (no --add-opens), or the VM is going down: take the safe path
        }
    }

    /** The JDK's lists of what runs at exit, read through variable handles (see {@link #staticField}). */
    private static volatile VarHandle[] exitLists;

    /**
     * A private static field of the JDK as a variable handle. Not {@code Field.get}: a fresh JVM's first
     * reflective read of a field builds its accessor from method handles, a large share of a SPAWN child's exit;
     * the two handles here cost a fraction of that (docs/journal/2026-12-07-figures-from-code-comments.md#exits).
     */
    private static VarHandle staticField(String className, String name) throws ReflectiveOperationException {
        Class<?> c = Class.forName(className);
        Field f = c.getDeclaredField(name);
        return MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findStaticVarHandle(c, name, f.getType());
    }
}
