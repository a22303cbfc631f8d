package io.mp4j.core.pool;

/**
 * A pool's run state and its transitions, as Python's pool has them (RUN, CLOSE, TERMINATE) plus BROKEN:
 * <pre>
 *   RUNNING --close--> CLOSED          no new work; what was accepted still runs
 *   RUNNING, CLOSED --stop--> TERMINATED   workers ended, unfinished work cancelled
 *                         \--> BROKEN       the initializer failed or workers cannot start: work fails with the cause
 * </pre>
 * and, once not RUNNING, nothing outstanding and every worker's process ended: finished. Guarded by the pool's lock.
 */
final class RunState {
    private enum State { RUNNING, CLOSED, TERMINATED, BROKEN }

    private State state = State.RUNNING;
    private Throwable cause;
    private boolean finished;

    /** Accepting work. */
    boolean isRunning() { return state == State.RUNNING; }

    /** Terminated or broken: no worker is kept, nothing is published. */
    boolean isStopped() { return state == State.TERMINATED || state == State.BROKEN; }

    boolean isFinished() { return finished; }

    /** RUNNING -> CLOSED; false in any other state. */
    boolean close() {
        if (state != State.RUNNING) return false;
        state = State.CLOSED;
        return true;
    }

    /** RUNNING or CLOSED -> BROKEN (with its cause) or TERMINATED; false when already stopped. */
    boolean stop(boolean broken, Throwable cause) {
        if (isStopped()) return false;
        state = broken ? State.BROKEN : State.TERMINATED;
        if (broken) this.cause = cause;
        return true;
    }

    /** Marks the pool finished; false if it was already (or is still running). */
    boolean finish() {
        if (finished || state == State.RUNNING) return false;
        finished = true;
        return true;
    }

    /** @throws IllegalStateException unless RUNNING, saying closed, terminated, or broken with the cause */
    void checkAccepting() {
        switch (state) {
            case RUNNING -> { }
            case CLOSED -> throw new IllegalStateException("Pool not running: it was closed");
            case TERMINATED -> throw new IllegalStateException("Pool not running: it was terminated");
            case BROKEN -> throw new IllegalStateException("Pool not running: it is broken: " + cause.getMessage(), cause);
        }
    }

    @Override public String toString() { return state + (finished ? ", finished" : ""); }
}
