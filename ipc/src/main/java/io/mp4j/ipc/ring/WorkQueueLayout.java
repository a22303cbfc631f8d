package io.mp4j.ipc.ring;

/**
 * Layout of a work queue file (after the shared segment's own 64-byte header): the words one producer and
 * its consumers share, a consumer table, the task ring, and one reply ring per consumer. Native byte order;
 * 64-bit words 8-byte aligned, futex words 4-byte aligned, the words different parties write on separate
 * cache lines.
 *
 * <pre>
 *   0  +--------------------------------+
 *      | int magic 'MPWQ'               |
 *   4  | int version (written last)     |
 *   8  | int taskBytes (power of 2)     |
 *  12  | int consumers                  |
 *  16  | int replyBytes (power of 2)    |
 *  64  +--------------------------------+  consumers
 *      | long claimCursor               |  every task record below this byte position is claimed, done, cancelled or padding
 *  72  | long claims                    |  records claimed so far
 *  80  | int spinner                    |  the idle consumer spinning for tasks (entry + 1; 0: none)
 * 128  +--------------------------------+  the producer
 *      | long publishCursor             |  records below this byte position are written
 * 136  | int taskSignal                 |  futex word: bumped after every publish, and on close
 * 140  | int taskSleepers               |  consumers asleep on it
 * 144  | int closed                     |  1: nothing more will be published
 * 192  +--------------------------------+
 *      | int replySignal                |  futex word: bumped by a consumer after every reply
 * 196  | int replySleepers              |  the producer, asleep on it
 * 256  +--------------------------------+
 *      | consumer table: consumers x 64 |
 *      +--------------------------------+
 *      | task ring: taskBytes           |
 *      +--------------------------------+
 *      | reply rings: consumers x (128 + replyBytes)
 *      +--------------------------------+
 * </pre>
 *
 * <p>Consumer table entry (64 bytes): {@code int state} (FREE, IDLE, BUSY, LEFT), {@code int generation} (bumped
 * by the producer each time the entry is given to a new consumer), {@code long pid}, {@code long running} (the id
 * of the task it claimed last, 0 for none), {@code int spaceSignal} and {@code int spaceSleepers} (the consumer
 * waits there for room in its reply ring).
 *
 * <p>Task record (32-byte aligned): {@code long word} = {@code id << 24 | (owner + 1) << 8 | state}, {@code int length}
 * (the whole record), {@code int tag} (the producer's, e.g. a count of items), {@code int payloadLength},
 * {@code int flags} (EXTERNAL: the payload is in a file beside the queue), then the payload. States: READY,
 * CLAIMED (by owner), DONE (its payload copied out: the space may be reused), CANCELLED, PADDING (skip to the end
 * of the ring).
 *
 * <p>Reply ring: {@code long writeCursor} (the consumer's), at 64 {@code long readCursor} (the producer's), at 128 the
 * data: records of {@code int length, int flags (LAST, PADDING)} and the payload, 8-byte aligned. A reply larger
 * than the ring travels in fragments; the last carries LAST.
 */
public final class WorkQueueLayout {
    static final int MAGIC = 0x51574D50; // "PMWQ" little-endian
    static final int VERSION = 2;

    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 4;
    static final long TASK_BYTES_OFFSET = 8;
    static final long CONSUMERS_OFFSET = 12;
    static final long REPLY_BYTES_OFFSET = 16;

    static final long CLAIM_CURSOR_OFFSET = 64;
    static final long CLAIMS_OFFSET = 72;
    static final long SPINNER_OFFSET = 80;

    static final long PUBLISH_CURSOR_OFFSET = 128;
    static final long TASK_SIGNAL_OFFSET = 136;
    static final long TASK_SLEEPERS_OFFSET = 140;
    static final long CLOSED_OFFSET = 144;

    static final long REPLY_SIGNAL_OFFSET = 192;
    static final long REPLY_SLEEPERS_OFFSET = 196;

    static final long HEADER_LENGTH = 256;

    static final long ENTRY_LENGTH = 64;
    static final long ENTRY_STATE = 0;
    static final long ENTRY_GENERATION = 4;
    static final long ENTRY_PID = 8;
    static final long ENTRY_RUNNING = 16;
    static final long ENTRY_SPACE_SIGNAL = 24;
    static final long ENTRY_SPACE_SLEEPERS = 28;

    /** Consumer states in the table. */
    public static final int FREE = 0, IDLE = 1, BUSY = 2, LEFT = 3;

    static final long RECORD_WORD = 0;
    static final long RECORD_LENGTH = 8;
    static final long RECORD_TAG = 12;
    static final long RECORD_PAYLOAD_LENGTH = 16;
    static final long RECORD_FLAGS = 20;
    static final int RECORD_HEADER = 24;
    static final int RECORD_ALIGN = 32;

    static final int READY = 1, CLAIMED = 2, DONE = 3, CANCELLED = 4, PADDING = 5;
    static final int FLAG_EXTERNAL = 1;

    static final long REPLY_WRITE = 0;
    static final long REPLY_READ = 64;
    static final long REPLY_DATA = 128;
    static final int REPLY_HEADER = 8;
    static final int REPLY_LAST = 1, REPLY_PADDING = 2;

    private WorkQueueLayout() {}

    static long word(long id, int owner, int state) { return id << 24 | (long) (owner + 1) << 8 | state; }

    static long idOf(long word) { return word >>> 24; }

    static int ownerOf(long word) { return (int) ((word >>> 8) & 0xFFFF) - 1; }

    static int stateOf(long word) { return (int) (word & 0xFF); }

    static long align(long n, int to) { return (n + to - 1) & -to; }

    static long length(int taskBytes, int consumers, int replyBytes) {
        return HEADER_LENGTH + consumers * ENTRY_LENGTH + taskBytes + (long) consumers * (REPLY_DATA + replyBytes);
    }
}
