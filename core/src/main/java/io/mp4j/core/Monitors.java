package io.mp4j.core;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Timed waits on an object's monitor, shared by the launchers. */
final class Monitors {
    private Monitors() {}

    /**
     * Waits on {@code monitor}, which the caller holds, until {@code done} holds or {@code millis} have passed, and
     * says whether it held. An interrupt ends the wait as if {@code done} held, keeping the thread's interrupt status:
     * a launcher's background thread is interrupted only when the launcher shuts down.
     */
    static boolean awaitOrInterrupt(Object monitor, BooleanSupplier done, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }
}
