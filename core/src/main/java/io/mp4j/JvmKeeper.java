package io.mp4j;

/**
 * Keeps the JVM alive while an executor has tasks that have not finished, as a {@code ThreadPoolExecutor}'s
 * non-daemon threads would, and lets it exit afterwards, as Python's executor does at interpreter exit: a non-daemon
 * thread lives while the count of unfinished tasks is above zero. The pool's own threads are daemons.
 */
final class JvmKeeper {
    private int unfinished;   // guarded by this
    private Thread keeper;    // guarded by this

    /** A task was submitted. */
    synchronized void taskStarted() {
        if (unfinished++ == 0 && keeper == null) {
            keeper = Thread.ofPlatform().daemon(false).name("mp4j-executor-keeper").start(this::keep);
        }
    }

    /** A task finished, failed or was cancelled. */
    synchronized void taskEnded() {
        if (--unfinished == 0) notifyAll();
    }

    private synchronized void keep() {
        try {
            while (unfinished > 0) wait();
        } catch (InterruptedException e) {
            // the JVM is being torn down: stop holding it
        } finally {
            keeper = null;
        }
    }
}
