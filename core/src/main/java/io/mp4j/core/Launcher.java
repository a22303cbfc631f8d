package io.mp4j.core;

import io.mp4j.worker.JvmSpec;

/** One strategy per start method (Python's {@code popen_*.py}): turns a launch message into a running child. */
public interface Launcher {
    /**
     * Starts a child running {@code frame} (an encoded {@code Launch}) in a JVM started with {@code spec}: never
     * in a warm JVM started with another spec (older options, another class path).
     *
     * @param frame the launch message
     * @param processName the process's name, for messages
     * @param spec the child JVM's options and class path
     * @return the child's handle
     * @throws Exception when the child cannot be started
     */
    ChildHandle launch(byte[] frame, String processName, JvmSpec spec) throws Exception;

    /**
     * Waits at most {@code timeoutNanos} until the warm JVMs it keeps are ready; returns whether they are.
     *
     * @param timeoutNanos the longest wait
     * @return whether they are ready
     * @throws InterruptedException if interrupted while waiting
     */
    default boolean awaitReady(long timeoutNanos) throws InterruptedException { return true; }

    /**
     * Starts the warm JVMs it keeps now, in the background, rather than once its first process has ended. Nothing
     * for launchers that keep none.
     */
    default void prewarm() {}

    /**
     * Whether the server this launcher relies on has died (killed, or it crashed), so that it can start nothing
     * more: its owner then starts another launcher. False for launchers without a server.
     *
     * @return whether the server is gone
     */
    default boolean isGone() { return false; }

    /** Stops standby JVMs and servers the launcher keeps. */
    default void shutdown() {}
}
