package io.mp4j.ipc.queue;

/**
 * The append-only log that holds a queue's items, seen from one process. Free of any storage library's
 * types, so that loading a queue (decoding its handle, asking its size) never loads the storage library:
 * only the first put or get does.
 *
 * <p>Every item is appended once and read by every reader; the claim protocol in the implementation
 * makes exactly one reader take it. Thread-safe: each thread uses its own appender and reader.
 */
interface ItemLog extends AutoCloseable {
    /** What {@link #tryTake} and {@link #peek} return when no unclaimed item is present. */
    Object NONE = new Object() {
        @Override public String toString() { return "NONE"; }
    };

    /** Appends one encoded item; when this returns, the item is durable in the log and readable by all. */
    void append(EncodedItem item);

    /**
     * Claims the oldest unclaimed item and returns it decoded, or {@link #NONE} when none is present now.
     * Claiming advances the shared claim cursor in the control block atomically; the item counts as got once
     * decoded. When none is present, it may return instead an item that a reader which died had claimed and
     * not returned.
     */
    Object tryTake();

    /** The oldest unclaimed item without claiming it, or {@link #NONE}. */
    Object peek();

    /** Releases this process's appenders, readers and mappings (the files stay for the other processes). */
    @Override
    void close();
}
