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
 *  64  +-----------------------------+  producers
 *      | long putCount               |  items appended; its low int is the "not empty" futex word
 *  72  | int getSleepers             |  consumers asleep on it
 * 128  +-----------------------------+  consumers
 *      | long gotCount               |  items claimed; its low int is the "not full" futex word
 * 136  | long claimCursor            |  every excerpt whose log index is &lt; this has been claimed
 * 144  | int putSleepers             |  producers asleep on gotCount
 * 192  +-----------------------------+
 *      | long reserved               |  bounded queues: slots taken by producers (item in or being put)
 * 256  +-----------------------------+
 *      | long unfinished             |  JoinableQueue: items put and not yet taskDone; low int: join's word
 * 264  | int joinSleepers            |
 * 320  +-----------------------------+
 * </pre>
 */
final class QueueLayout {
    static final int MAGIC = 0x5134504D; // "MP4Q" little-endian
    static final int VERSION = 1;

    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 4;
    static final long MAXSIZE_OFFSET = 8;
    static final long KIND_OFFSET = 16;

    static final long PUT_COUNT_OFFSET = 64;
    static final long GET_SLEEPERS_OFFSET = 72;

    static final long GOT_COUNT_OFFSET = 128;
    static final long CLAIM_CURSOR_OFFSET = 136;
    static final long PUT_SLEEPERS_OFFSET = 144;

    static final long RESERVED_OFFSET = 192;

    static final long UNFINISHED_OFFSET = 256;
    static final long JOIN_SLEEPERS_OFFSET = 264;

    static final long LENGTH = 320;

    static final int KIND_QUEUE = 0, KIND_SIMPLE = 1, KIND_JOINABLE = 2;

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
