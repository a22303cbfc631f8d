package io.mp4j.ipc.connection;

/**
 * How long a receiving end polls before it blocks, learnt from its waits: it doubles when the data came late in the
 * poll or soon after blocking began (polling longer would have caught it), and halves after a longer blocking wait
 * (the peer was idle: the poll was wasted). Guarded by the receiver's lock.
 */
final class PollBudget {
    static final long MIN_NANOS = 2_000, INITIAL_NANOS = 16_000, MAX_NANOS = 64_000;
    /** A blocking receive that returned this soon would have been covered by polling longer: the budget grows. */
    static final long SHORT_WAIT_NANOS = 100_000;

    private long nanos = INITIAL_NANOS;

    long nanos() { return nanos; }

    /** The data came after {@code polled} nanoseconds of polling: late in the budget, the budget doubles. */
    void learnFromPolling(long budget, long polled) {
        if (polled > budget >> 1) nanos = Math.min(MAX_NANOS, budget << 1);
    }

    /** The data came {@code waited} nanoseconds after a blocking wait began: soon, the budget doubles; else it halves. */
    void learnFromBlocking(long budget, long waited) {
        nanos = waited < SHORT_WAIT_NANOS ? Math.min(MAX_NANOS, budget << 1) : Math.max(MIN_NANOS, budget >> 1);
    }
}
