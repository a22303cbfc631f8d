package io.mp4j.ipc.queue;

/**
 * Layout of a queue's control file: the words every process attached to one queue shares. Native byte
 * order; every 64-bit counter is 8-byte aligned, every futex word 4-byte aligned, and the counters that
 * producers and consumers write sit on separate cache lines.
 *
 * <pre>
 *   0  +-----------------------------+
 *      | int magic 'MP4Q'            |
 *   4  | int version (written last)  |
 *   8  | long maxsize (&lt;= 0: none)   |
 *  16  | int kind (0 queue, 1 simple, 2 joinable)
 *  20  | int state (0 open, 1 shut down, 2 shut down immediately)
 *  64  +-----------------------------+  producers
 *      | long putCount               |  items appended; its low int is the "not empty" futex word
 *  72  | int getSleepers             |  consumers asleep on it
 * 128  +-----------------------------+  consumers
 *      | long gotCount               |  items claimed; its low int is the "not full" futex word
 * 136  | long claimCursor            |  every excerpt whose log index is &lt; this has been claimed;
 *      |                             |  negative: LOCKED | slot, a claim in progress (ClaimSlots)
 * 144  | int putSleepers             |  producers asleep on gotCount
 * 192  +-----------------------------+
 *      | long reserved               |  bounded queues: slots taken by producers (item in or being put)
 * 256  +-----------------------------+
 *      | long unfinished             |  JoinableQueue: items put and not yet taskDone; low int: join's word
 * 264  | int joinSleepers            |
 * 320  +-----------------------------+  claim slots: CLAIM_SLOTS x 64 bytes, one cache line each
 *      | long owner                  |  0 free; else (thread id &lt;&lt; 32) | pid of the consumer thread
 *      | long ownerStart             |  the owner process's start time (ms; 0 unknown): guards pid reuse
 *      | long from                   |  the cursor value the owner locked the cursor from
 *      | long claim                  |  the index of an item claimed and not yet returned, or NO_CLAIM
 *      | (32 bytes reserved)         |
 * 320 + CLAIM_SLOTS * 64 = LENGTH
 * </pre>
 */
final class QueueLayout {
    static final int MAGIC = 0x5134504D; // "MP4Q" little-endian
    static final int VERSION = 2;

    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 4;
    static final long MAXSIZE_OFFSET = 8;
    static final long KIND_OFFSET = 16;
    static final long STATE_OFFSET = 20;

    static final long PUT_COUNT_OFFSET = 64;
    static final long GET_SLEEPERS_OFFSET = 72;

    static final long GOT_COUNT_OFFSET = 128;
    static final long CLAIM_CURSOR_OFFSET = 136;
    static final long PUT_SLEEPERS_OFFSET = 144;

    static final long RESERVED_OFFSET = 192;

    static final long UNFINISHED_OFFSET = 256;
    static final long JOIN_SLEEPERS_OFFSET = 264;

    static final long CLAIM_SLOTS_OFFSET = 320;
    static final int CLAIM_SLOTS = 512;
    static final long CLAIM_SLOT_SIZE = 64;
    /** Within a claim slot. */
    static final long SLOT_OWNER = 0, SLOT_OWNER_START = 8, SLOT_FROM = 16, SLOT_CLAIM = 24;
    /** A claim slot's {@code claim} when its owner holds no item. */
    static final long NO_CLAIM = -1;
    /** The claim cursor while slot {@code s} moves it: {@code LOCKED | s} (negative; log indexes never are). */
    static final long LOCKED = Long.MIN_VALUE;

    static final long LENGTH = CLAIM_SLOTS_OFFSET + CLAIM_SLOTS * CLAIM_SLOT_SIZE;

    static final int KIND_QUEUE = 0, KIND_SIMPLE = 1, KIND_JOINABLE = 2;
    static final int STATE_OPEN = 0, STATE_SHUT_DOWN = 1, STATE_SHUT_DOWN_IMMEDIATE = 2;

    /** The offset of claim slot {@code s}. */
    static long slot(int s) { return CLAIM_SLOTS_OFFSET + s * CLAIM_SLOT_SIZE; }

    private QueueLayout() {}

    static String kindName(int kind) {
        return switch (kind) {
            case KIND_QUEUE -> "Queue";
            case KIND_SIMPLE -> "SimpleQueue";
            case KIND_JOINABLE -> "JoinableQueue";
            default -> "unknown(" + kind + ")";
        };
    }
}
