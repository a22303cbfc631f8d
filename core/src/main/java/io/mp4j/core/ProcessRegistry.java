package io.mp4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The children this JVM has started and that have not been reaped, and what happens to them at exit
 * (Python's {@code _exit_function}): daemon children are terminated, non-daemon children joined.
 *
 * <p>Each live non-daemon child also holds a non-daemon "keeper" thread, so the JVM does not end while
 * one runs, as a Python parent waits for its non-daemon children when the main program ends.
 *
 * <p>A JVM ended by SIGTERM (or SIGHUP) does not wait for them without limit: its non-daemon children get
 * {@link #TERM_GRACE_MILLIS} to end, then are terminated (and killed {@link #KILL_AFTER_MILLIS} later if still
 * there), so that the JVM ends promptly and leaves no process behind. {@code System.exit} still joins them, as
 * Python's {@code sys.exit} does.
 */
public final class ProcessRegistry {
    /** How long non-daemon children may still run once this JVM got SIGTERM or SIGHUP, before they are terminated. */
    public static final long TERM_GRACE_MILLIS = 1_000;
    /** How long a child terminated at exit may take before it is killed. */
    public static final long KILL_AFTER_MILLIS = 1_000;

    /** A live child and how to stop it at exit. */
    public interface Entry {
        /**
         * Whether the child is a daemon (terminated at exit rather than waited for).
         *
         * @return whether it is one
         */
        boolean isDaemon();
        /** Terminates the child (a daemon, at exit). */
        void terminateAtExit();
        /**
         * Waits for the child to end (a non-daemon, at exit).
         *
         * @throws InterruptedException if interrupted while waiting
         */
        void awaitAtExit() throws InterruptedException;

        /**
         * Waits at most {@code nanos} for the child's end.
         *
         * @param nanos the longest wait
         * @return whether it ended
         * @throws InterruptedException if interrupted while waiting
         */
        boolean awaitAtExit(long nanos) throws InterruptedException;

        /** Kills the child (SIGKILL; a THREAD child is interrupted). */
        void killAtExit();
    }

    private static final Set<Entry> LIVE = ConcurrentHashMap.newKeySet();
    private static final List<Runnable> AT_EXIT = new ArrayList<>();
    private static volatile boolean exiting;
    /** Set by a SIGTERM or SIGHUP that ends this JVM: the exit then bounds the wait for non-daemon children. */
    private static volatile boolean signalled;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::atExit, "mp4j-exit"));
        noteSignal("TERM");
        noteSignal("HUP");
    }

    /**
     * Notes {@code name}'s arrival, then lets whichever handler was there react (the JVM's own: exit with 128 +
     * the signal's number, running the shutdown hooks). An application's handler installed later replaces this.
     */
    private static void noteSignal(String name) {
        try {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            sun.misc.SignalHandler[] previous = new sun.misc.SignalHandler[1];
            previous[0] = sun.misc.Signal.handle(signal, sig -> {
                signalled = true;
                sun.misc.SignalHandler p = previous[0];
                if (p != null && p != sun.misc.SignalHandler.SIG_DFL && p != sun.misc.SignalHandler.SIG_IGN) p.handle(sig);
                else if (p != sun.misc.SignalHandler.SIG_IGN) System.exit(128 + sig.getNumber());
            });
        } catch (IllegalArgumentException e) {
            // the signal is reserved here (-Xrs): the exit then joins as for System.exit
        }
    }

    private ProcessRegistry() {}

    /**
     * True once this JVM has begun to exit (its shutdown hooks run): no new children from then on.
     *
     * @return whether it is exiting
     */
    public static boolean isExiting() { return exiting; }

    /**
     * Registers a live child.
     *
     * @param e the child
     */
    public static void add(Entry e) { LIVE.add(e); }

    /**
     * Forgets a child that ended.
     *
     * @param e the child
     */
    public static void remove(Entry e) { LIVE.remove(e); }

    /**
     * The live children now.
     *
     * @return a copy of the list
     */
    public static List<Entry> live() { return List.copyOf(LIVE); }

    /**
     * Runs {@code r} at exit after children are dealt with (stopping launchers, removing directories).
     *
     * @param r what to run
     */
    public static synchronized void atExit(Runnable r) { AT_EXIT.add(r); }

    /**
     * Starts the keeper thread that holds the JVM open until {@code waiter} returns.
     *
     * @param name the thread's name, after {@code mp4j-keeper-}
     * @param waiter what the thread runs: it returns when the child has ended
     */
    public static void keepAlive(String name, Runnable waiter) {
        Thread.ofPlatform().name("mp4j-keeper-" + name).daemon(false).stackSize(64 * 1024).start(waiter);
    }

    /** After SIGTERM: the grace period for every child, then terminate the rest, then kill what is still there. */
    private static void endWithinGrace(List<Entry> entries) throws InterruptedException {
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERM_GRACE_MILLIS);
        List<Entry> left = new ArrayList<>();
        for (Entry e : entries) if (!e.awaitAtExit(Math.max(0, graceEnd - System.nanoTime()))) left.add(e);
        for (Entry e : left) e.terminateAtExit();
        long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(KILL_AFTER_MILLIS);
        for (Entry e : left) {
            if (!e.awaitAtExit(Math.max(0, killAt - System.nanoTime()))) {
                e.killAtExit();
                e.awaitAtExit(TimeUnit.MILLISECONDS.toNanos(KILL_AFTER_MILLIS));
            }
        }
    }

    private static void atExit() {
        exiting = true;
        List<Entry> entries = live();
        for (Entry e : entries) if (e.isDaemon()) e.terminateAtExit();
        try {
            if (signalled) endWithinGrace(entries);
            else for (Entry e : entries) e.awaitAtExit();
        } catch (InterruptedException ie) {
            // exit now
        }
        List<Runnable> hooks;
        synchronized (ProcessRegistry.class) { hooks = List.copyOf(AT_EXIT); }
        for (Runnable r : hooks.reversed()) {
            try { r.run(); } catch (RuntimeException ignored) { /* best effort at exit */ }
        }
    }
}
