package io.mp4j.core;

import io.mp4j.worker.JvmSpec;

/** One strategy per start method (Python's {@code popen_*.py}): turns a launch message into a running child. */
public interface Launcher {
    /**
     * Starts a child running {@code frame} (an encoded {@code Launch}) in a JVM started with {@code spec}: never
     * in a warm JVM started with another spec (older options, another class path).
     */
    ChildHandle launch(byte[] frame, String processName, JvmSpec spec) throws Exception;

    /** Waits at most {@code timeoutNanos} until the warm JVMs it keeps are ready; returns whether they are. */
    default boolean awaitReady(long timeoutNanos) throws InterruptedException { return true; }

    /** Stops standby JVMs and servers the launcher keeps. */
    default void shutdown() {}
}
