package io.mp4j.worker.pool;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Watches the item a worker runs under a task timeout: at the deadline the worker's thread is interrupted; if the
 * item has not ended {@link #GRACE_MS} later, {@code onIgnored} is called with the task's id (on the watchdog's
 * thread), and the watchdog stops. Its thread starts with the first watched item.
 */
final class TaskWatchdog {
    static final long GRACE_MS = 500;

    private final Thread taskThread;
    private final LongConsumer onIgnored;
    // guarded by this
    private long watched = -1;
    private long deadline;
    private Thread thread;

    TaskWatchdog(Thread taskThread, LongConsumer onIgnored) {
        this.taskThread = taskThread;
        this.onIgnored = onIgnored;
    }

    /** An item of task {@code taskId} starts now, with {@code timeoutNanos} to run; returns the start time. */
    synchronized long start(long taskId, long timeoutNanos) {
        long now = System.nanoTime();
        watched = taskId;
        deadline = now + timeoutNanos;
        if (thread == null) thread = Thread.ofPlatform().daemon(true).name("mp4j-pool-watchdog").start(this::watch);
        notifyAll();
        return now;
    }

    /** The item ended. */
    synchronized void end() {
        watched = -1;
        notifyAll();
    }

    private synchronized void watch() {
        try {
            while (true) {
                if (watched < 0) {
                    wait();
                    continue;
                }
                long task = watched;
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                    continue;
                }
                taskThread.interrupt();
                long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
                while (watched == task && graceEnd - System.nanoTime() > 0) TimeUnit.NANOSECONDS.timedWait(this, graceEnd - System.nanoTime());
                if (watched == task) {
                    onIgnored.accept(task);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // the worker ends
        }
    }
}
