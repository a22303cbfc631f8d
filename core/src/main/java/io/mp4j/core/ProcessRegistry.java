package io.mp4j.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The children this JVM has started and that have not been reaped, and what happens to them at exit
 * (Python's {@code _exit_function}): daemon children are terminated, non-daemon children joined.
 *
 * <p>Each live non-daemon child also holds a non-daemon "keeper" thread, so the JVM does not end while
 * one runs, as a Python parent waits for its non-daemon children when the main program ends.
 */
public final class ProcessRegistry {
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
    }

    private static final Set<Entry> LIVE = ConcurrentHashMap.newKeySet();
    private static final List<Runnable> AT_EXIT = new ArrayList<>();
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessRegistry::atExit, "mp4j-exit"));
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

    private static void atExit() {
        exiting = true;
        List<Entry> entries = live();
        for (Entry e : entries) if (e.isDaemon()) e.terminateAtExit();
        for (Entry e : entries) {
            try {
                e.awaitAtExit();
            } catch (InterruptedException ie) {
                break;
            }
        }
        List<Runnable> hooks;
        synchronized (ProcessRegistry.class) { hooks = List.copyOf(AT_EXIT); }
        for (Runnable r : hooks.reversed()) {
            try { r.run(); } catch (RuntimeException ignored) { /* best effort at exit */ }
        }
    }
}
