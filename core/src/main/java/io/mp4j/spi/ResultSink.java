package io.mp4j.spi;

/**
 * Where a {@link Job}'s outcomes go: each item's value, or the exception it failed with. The back end reports
 * every item exactly once, from any thread (the local back end: its result reader), unless {@link #cancelled}
 * came first; a report after {@code cancelled} is allowed and must be ignored. Implementations are quick and
 * never block: they complete futures or hand work to another thread.
 *
 * <p>Indexes are the item's position in the user's submission: a job's item {@code i} is reported at
 * {@code job.firstIndex() + i}.
 */
public interface ResultSink {
    /**
     * Item {@code index} returned {@code value}.
     *
     * @param index the item's position in the submission
     * @param value its result, already decoded against the function's return type
     */
    void value(int index, Object value);

    /**
     * The values of items {@code from .. from + n - 1}, in order (a chunk at once).
     *
     * @param from the first item's position
     * @param values the results, {@code values[0 .. n-1]} used
     * @param n how many
     */
    default void values(int from, Object[] values, int n) {
        for (int i = 0; i < n; i++) value(from + i, values[i]);
    }

    /**
     * Item {@code index} failed: the task threw (the exception re-created in this process, with a
     * {@code RemoteTraceback} cause), its worker died ({@code WorkerDiedException}), it ran over its
     * timeout ({@code TimeoutException}), or its result could not travel ({@code CodecException}).
     *
     * @param index the item's position in the submission
     * @param error why it failed
     */
    void failed(int index, Throwable error);

    /**
     * The job was cancelled or the pool terminated or broken: nothing more will be reported. Called at most once.
     *
     * @param reason why, for the futures' causes
     */
    void cancelled(Throwable reason);
}
