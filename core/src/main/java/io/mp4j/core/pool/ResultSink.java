package io.mp4j.core.pool;

/**
 * Receives a batch's outcomes, each item exactly once (from the engine's reader threads): a value, or the
 * exception the item failed with. {@link #cancelled} is called at most once, when the batch is
 * cancelled or the pool terminated; items may still arrive afterwards and should then be ignored.
 */
public interface ResultSink {
    /**
     * An item's value.
     *
     * @param index the item's index in its batch
     * @param value its value, decoded
     */
    void value(int index, Object value);

    /**
     * The values of items {@code from .. from + n - 1}, in order: {@code values[0 .. n-1]}.
     *
     * @param from the first item's index
     * @param values the values
     * @param n how many
     */
    default void values(int from, Object[] values, int n) {
        for (int i = 0; i < n; i++) value(from + i, values[i]);
    }

    /**
     * An item's failure.
     *
     * @param index the item's index in its batch
     * @param error what it failed with
     */
    void failed(int index, Throwable error);

    /**
     * The batch was cancelled or the pool terminated.
     *
     * @param reason what the unfinished items end with
     */
    void cancelled(Throwable reason);
}
