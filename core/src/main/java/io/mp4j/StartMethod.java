package io.mp4j;

import java.util.Locale;

/**
 * How a process is started; see the table in docs/start-methods.md.
 *
 * <ul>
 *   <li>{@link #SPAWN}: a fresh JVM; the target sees its arguments and every static field at its initial value.</li>
 *   <li>{@link #FORK}: a warm standby JVM the parent keeps ready, given a snapshot of the parent
 *       (system properties and the non-final static fields of the target's class and registered classes).</li>
 *   <li>{@link #FORKSERVER}: a warm JVM kept ready by a fork-server JVM, which is its parent; the starts before the
 *       server runs (it starts once the first process has ended) get a fresh JVM of the caller's, as SPAWN.</li>
 *   <li>{@link #THREAD}: a thread of this JVM (Python's {@code multiprocessing.dummy}).</li>
 * </ul>
 */
public enum StartMethod {
    /** A fresh JVM started at {@code start()}. */
    SPAWN,
    /** A warm standby JVM given a snapshot of the parent. */
    FORK,
    /** A warm JVM kept ready by a fork-server JVM. */
    FORKSERVER,
    /** A thread of this JVM. */
    THREAD;

    /**
     * Parses a name as Python writes it ({@code "spawn"}, {@code "fork"}, ...), case-insensitively.
     *
     * @param name a start method's name
     * @return the start method
     * @throws IllegalArgumentException for another name, listing the valid ones
     */
    public static StartMethod parse(String name) {
        if (name == null) throw new IllegalArgumentException("start method must not be null");
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown start method: " + name + " (expected one of fork, spawn, forkserver, thread)");
        }
    }

    /**
     * The name as Python writes it.
     *
     * @return the name
     */
    public String pythonName() { return name().toLowerCase(Locale.ROOT); }

    /**
     * True when processes of this method are separate JVMs.
     *
     * @return whether they are JVMs
     */
    public boolean isProcess() { return this != THREAD; }
}
