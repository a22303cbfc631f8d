package io.mp4j.core.pool;

import io.mp4j.MpProcess;
import io.mp4j.worker.ExitStatus;
import io.mp4j.worker.pool.PoolMessages;

/**
 * A worker as the pool sees it: its name, its entry in the pool's work queue (the worker's connection: consumer
 * index and generation), its process, and its state. Every state change is one of the methods below; each returns
 * whether it happened, so that a caller never acts twice on one change. Guarded by the pool's lock.
 *
 * <pre>
 *   WAITING --launch--> STARTING --ready--> READY --retiring--> RETIRING
 *      \                    \                 \                    \
 *       '------------------- gone: GONE (from any state; final) ---'
 * </pre>
 * WAITING: made, waiting for its turn to start ({@link StartThrottle}). STARTING: its process is being started or
 * runs its initializer. READY: it said hello and claims tasks. RETIRING: it takes no more tasks (it ran its
 * {@code maxTasksPerChild} items, or said goodbye) and will exit. GONE: the pool no longer counts it; its process
 * may still be ending ({@link #exited}).
 */
final class WorkerSlot {
    enum State { WAITING, STARTING, READY, RETIRING, GONE }

    final int number;
    final String name;
    final int consumer;
    final int generation;
    private State state = State.WAITING;
    private MpProcess process;
    private long pid = -1;
    private boolean exited;
    private boolean endedByPool;
    private String byeReason;

    WorkerSlot(int number, String name, int consumer, int generation) {
        this.number = number;
        this.name = name;
        this.consumer = consumer;
        this.generation = generation;
    }

    State state() { return state; }

    /** Counts toward the workers the pool keeps: waiting, starting or ready. */
    boolean isActive() { return state == State.WAITING || state == State.STARTING || state == State.READY; }

    /** WAITING -> STARTING: its turn to start came. */
    boolean launch() { return move(State.WAITING, State.STARTING); }

    /** STARTING -> READY: it said hello. */
    boolean ready(long pid) {
        this.pid = pid;
        return move(State.STARTING, State.READY);
    }

    /** READY or STARTING -> RETIRING: it takes no more tasks; {@code reason} is kept for messages (null: none given). */
    boolean retiring(String reason) {
        if (reason != null) byeReason = reason;
        return move(State.READY, State.RETIRING) || move(State.STARTING, State.RETIRING);
    }

    /**
     * Any state -> GONE. {@code byPool}: the pool ended it (a cancel, a timeout, terminate), so the task it ran is
     * not its death's victim.
     */
    boolean gone(boolean byPool) {
        if (state == State.GONE) return false;
        state = State.GONE;
        endedByPool = byPool;
        return true;
    }

    /** Its process has ended (or never started); its queue entry may be reused once its replies are read. */
    boolean exited() {
        if (exited) return false;
        exited = true;
        return true;
    }

    boolean hasExited() { return exited; }

    boolean endedByPool() { return endedByPool; }

    /** Whether it said it leaves (BYE or RETIRING), so that its exit is not a death. */
    boolean saidBye() { return byeReason != null; }

    /** What it said when it left (BYE or RETIRING), null when it said nothing. */
    String byeReason() { return byeReason; }

    void process(MpProcess p) { this.process = p; }

    MpProcess process() { return process; }

    /** Ends its process (if it has one); the state is the caller's to change. */
    void kill() {
        if (process != null) process.kill();
    }

    long pid() {
        if (pid >= 0) return pid;
        Long p = process == null ? null : process.pid();
        return p == null ? -1 : p;
    }

    /** How it ended, for a {@code WorkerDiedException}: "worker ForkPoolWorker-3 (pid 123) was killed by signal 9 SIGKILL (exit code -9)". */
    String describeEnd(Integer code) {
        String how = ExitStatus.describe(code);
        if (code != null && code == PoolMessages.EXIT_TASK_ERROR) how += " after an error in a task";
        return "worker " + name + " (pid " + pid() + ") " + how;
    }

    private boolean move(State from, State to) {
        if (state != from) return false;
        state = to;
        return true;
    }

    @Override public String toString() { return name + "[" + state + ", consumer " + consumer + "]"; }
}
