package io.mp4j.ipc.queue;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.mp4j.ipc.queue.QueueLayout.*;

/**
 * The claim slots of a queue's control block ({@link QueueLayout}): one per consumer thread of any process,
 * leased on its first get and kept until the queue object is closed or the process ends. A slot records the
 * claim its owner is making or holds, so that when the owner's process dies the other consumers can finish
 * or undo it ({@link ChronicleItemLog}'s claim protocol says how).
 *
 * <p>Only a slot's owner writes its {@code from} and {@code claim}; ownership moves by compare-and-set of the
 * owner word only: free to a live thread (a lease), or from a dead process to a live thread (a take-over).
 * A process is dead when no process has its pid, or one does with another start time (its pid was reused).
 */
final class ClaimSlots {
    private static final int PID = (int) ProcessHandle.current().pid();
    private static final long START = startMillis(ProcessHandle.current());

    private final ControlBlock ctl;
    /** The slots this process leased, with their threads: a slot whose thread ended may be leased again. */
    private final Map<Integer, WeakReference<Thread>> leased = new ConcurrentHashMap<>();

    ClaimSlots(ControlBlock ctl) { this.ctl = ctl; }

    /** The owner word of the calling thread. */
    static long me() { return (Thread.currentThread().threadId() << 32) | (PID & 0xFFFF_FFFFL); }

    static int pidOf(long owner) { return (int) owner; }

    long owner(int s) { return ctl.get(slot(s) + SLOT_OWNER); }

    long from(int s) { return ctl.get(slot(s) + SLOT_FROM); }

    long claim(int s) { return ctl.get(slot(s) + SLOT_CLAIM); }

    /** Records the cursor value the owner is about to lock the cursor from (owner only; ordered by its CAS). */
    void setFrom(int s, long c) { ctl.setRelease(slot(s) + SLOT_FROM, c); }

    /** Records the item the owner claims, or {@link QueueLayout#NO_CLAIM} once it returned it (owner only). */
    void setClaim(int s, long index) { ctl.setRelease(slot(s) + SLOT_CLAIM, index); }

    /**
     * Leases a free slot to the calling thread.
     *
     * @throws IllegalStateException when every slot is held by a live thread
     */
    int lease() {
        long me = me();
        for (int round = 0; round < 2; round++) {
            int start = (int) Math.floorMod(me * 0x9E3779B97F4A7C15L >>> 40, (long) CLAIM_SLOTS);
            for (int k = 0; k < CLAIM_SLOTS; k++) {
                int s = (start + k) % CLAIM_SLOTS;
                if (owner(s) == 0 && ctl.cas(slot(s) + SLOT_OWNER, 0, me)) {
                    ctl.setRelease(slot(s) + SLOT_CLAIM, NO_CLAIM);
                    ctl.setVolatile(slot(s) + SLOT_OWNER_START, START);
                    leased.put(s, new WeakReference<>(Thread.currentThread()));
                    return s;
                }
            }
            freeIdleSlotsOfEndedThreads();
        }
        throw new IllegalStateException("too many consumer threads on one queue: every one of its " + CLAIM_SLOTS
                + " claim slots is held by a live thread");
    }

    /** Frees a slot this thread owns (leased, or taken over and settled) that holds no claim. */
    void free(int s) {
        leased.remove(s);
        ctl.setVolatile(slot(s) + SLOT_OWNER, 0);
    }

    /** Hands a slot taken over back to its dead owner {@code owner}, untouched, for a later settlement. */
    void giveBack(int s, long owner) { ctl.setVolatile(slot(s) + SLOT_OWNER, owner); }

    /**
     * Takes slot {@code s} over from its owner {@code owner} if that owner's process is dead.
     *
     * @return whether the calling thread now owns the slot
     */
    boolean takeOverIfDead(int s, long owner) {
        if (owner == 0 || pidOf(owner) == PID) return false;
        long start = ctl.get(slot(s) + SLOT_OWNER_START);
        if (isAlive(pidOf(owner), start)) return false;
        return ctl.cas(slot(s) + SLOT_OWNER, owner, me());
    }

    /** Frees, when the table is full, the slots of dead processes and of this process's ended threads that hold no claim. */
    private void freeIdleSlotsOfEndedThreads() {
        for (var e : leased.entrySet()) {
            Thread t = e.getValue().get();
            int s = e.getKey();
            if ((t == null || !t.isAlive()) && claim(s) == NO_CLAIM && !lockedBy(s)) {
                leased.remove(s);
                ctl.cas(slot(s) + SLOT_OWNER, owner(s), 0);
            }
        }
        for (int s = 0; s < CLAIM_SLOTS; s++) {
            long o = owner(s);
            if (o != 0 && claim(s) == NO_CLAIM && !lockedBy(s) && takeOverIfDead(s, o)) {
                // re-read under ownership: a dead owner cannot have changed it since
                if (claim(s) == NO_CLAIM && !lockedBy(s)) free(s);
                else giveBack(s, o); // not idle after all: leave it to the recovery
            }
        }
    }

    private boolean lockedBy(int s) { return ctl.get(CLAIM_CURSOR_OFFSET) == (LOCKED | s); }

    /** Frees every slot this process leased that holds no claim (the queue object is being closed). */
    void freeAll() {
        for (int s : leased.keySet()) {
            if (claim(s) == NO_CLAIM && !lockedBy(s) && pidOf(owner(s)) == PID) free(s);
        }
    }

    static boolean isAlive(int pid, long startMillis) {
        return ProcessHandle.of(pid).map(p -> p.isAlive() && (startMillis == 0 || startMillis(p) == 0 || startMillis(p) == startMillis))
                .orElse(false);
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }
}
