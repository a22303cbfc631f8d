package io.mp4j.ipc.connection;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The socket side of a {@link Receiver}: how a receiving end waits for bytes. It polls the socket for a while before
 * it blocks (the while learnt by its {@link PollBudget}), blocks in slices of {@link Connection#SLICE_MILLIS} between
 * which it notices {@link Connection#close()} and interrupts, and turns end-of-file and a reset peer into one state
 * ({@link #atEof}). It knows nothing of frames: {@link Receiver} decides how many bytes it needs and where they go.
 *
 * <p>Guarded by the receiver's lock, with the descriptor acquired; the native scratch is allocated at the first use.
 */
final class SocketInput {
    private final Descriptor descriptor;
    /** How long a receive polls before it blocks (see {@link #recv}); adapted at every wait. */
    private final PollBudget spin = new PollBudget();
    private MemorySegment errno, pollfd;
    /** Set once the peer has closed its end (or reset it): every later receive finds the end of the stream. */
    private boolean eof;

    SocketInput(Descriptor descriptor) { this.descriptor = descriptor; }

    /** Allocates the native scratch of the calls, once. */
    void open() {
        if (errno == null) {
            errno = Native.newErrno();
            pollfd = Arena.ofAuto().allocate(8, 8);
        }
    }

    /** Whether the peer has closed (or reset) its end: nothing more will arrive. */
    boolean atEof() { return eof; }

    /**
     * One {@code recv} into native memory that waits for data: bytes read (> 0), or 0 at end-of-file.
     *
     * <p>It polls first, for up to {@link #spinNanos}: non-blocking receives ({@code MSG_DONTWAIT}) with a yield
     * between them, then a blocking one. A thread that blocks gives up its CPU, and on a virtual machine an idle
     * CPU halts: the peer's next send must wake it through the hypervisor. The yield lets whatever else is
     * runnable on this CPU go first (the peer itself when every CPU is busy); {@code Thread.onSpinWait()} instead
     * of the yield keeps the CPU from the peer when every CPU is busy (round trips measured each way:
     * docs/journal/2026-12-03-locks-queues-pipes.md#pipes). The budget adapts as the
     * locks' spin does ({@code WaitStrategy}): see {@link PollBudget}.
     */
    long recv(int fd, long address, long len) throws IOException {
        if (eof) return 0;
        if (Thread.currentThread().isInterrupted()) throw interrupted(0);
        long n = Native.recvAt(errno, fd, address, len, Native.MSG_DONTWAIT);
        if (n > 0) return n;
        if (n == 0) return endOfFile();
        if (!retry(Native.errno(errno))) return 0;
        long budget = spin.nanos();
        long start = System.nanoTime();
        while (true) {
            Thread.yield(); // a thread that must run for the data to come (the peer, when the CPUs are all busy) runs first
            n = Native.recvAt(errno, fd, address, len, Native.MSG_DONTWAIT);
            long polled = System.nanoTime() - start;
            if (n > 0) {
                spin.learnFromPolling(budget, polled);
                return n;
            }
            if (n == 0) return endOfFile();
            if (!retry(Native.errno(errno))) return 0;
            if (polled >= budget) break;
        }
        long began = System.nanoTime();
        while (true) {
            n = Native.recvAt(errno, fd, address, len, 0);
            if (n > 0) {
                spin.learnFromBlocking(budget, System.nanoTime() - began);
                return n;
            }
            if (n == 0) return endOfFile();
            int err = Native.errno(errno);
            if (!retry(err)) return 0;
            if (err == Native.EAGAIN) checkOpenAndNotInterrupted(0); // a slice of SO_RCVTIMEO has passed
        }
    }

    /** This end's poll budget (for tests, and for {@code Connections.wait}'s poll). */
    long spinNanos() { return spin.nanos(); }

    private long endOfFile() {
        eof = true;
        return 0;
    }

    /**
     * After a receive that failed with {@code err}: true to try again (no data yet, or a signal); false at the end
     * of the stream (end-of-file or a reset peer: {@link #atEof} becomes true).
     *
     * @throws IOException for any other error
     */
    private boolean retry(int err) throws IOException {
        if (err == Native.EAGAIN || err == Native.EINTR) return true;
        if (err == Native.ECONNRESET) {
            eof = true;
            return false;
        }
        throw Native.error("recv", err);
    }

    /**
     * Reads exactly {@code len} bytes into {@code dst} at {@code off}, straight from the socket; the frame
     * began at {@code dst[frameStart]} (for the message of an end-of-file in the middle).
     */
    void readFully(int fd, byte[] dst, int frameStart, int off, int len) throws IOException {
        if (len == 0) return;
        MemorySegment whole = MemorySegment.ofArray(dst);
        int done = 0;
        boolean empty = false; // a short read emptied the socket: wait before asking again
        while (done < len) {
            if (eof) throw midMessageEof(off + done - frameStart, off + len - frameStart);
            if (empty) {
                try {
                    awaitReadable(fd, Long.MAX_VALUE);
                } catch (InterruptedIOException e) {
                    e.bytesTransferred = done;
                    throw e;
                }
            }
            int want = len - done;
            long n = Native.recvHeapNow(errno, fd, whole.asSlice(off + done, want), want);
            if (n > 0) {
                done += (int) n;
                empty = n < want;
            } else if (n == 0) {
                eof = true;
            } else {
                int err = Native.errno(errno);
                if (err == Native.EAGAIN) {
                    empty = true;
                } else if (err == Native.ECONNRESET) {
                    eof = true;
                } else if (err != Native.EINTR) {
                    throw Native.error("recv", err);
                }
            }
        }
    }

    /**
     * Waits until the socket is readable or has hung up; false after {@code nanos} (0: no wait). As
     * {@link #recv}, it polls first ({@code poll} with no timeout, a yield between) for up to the end's
     * budget, then blocks in slices; the budget learns from the wait the same way.
     */
    boolean awaitReadable(int fd, long nanos) throws IOException {
        boolean forever = nanos == Long.MAX_VALUE;
        long began = System.nanoTime();
        long deadline = forever ? 0 : began + nanos;
        long budget = spin.nanos();
        long pollEnd = began + Math.min(budget, nanos);
        long blockedAt = 0;
        while (true) {
            long now = System.nanoTime();
            boolean polling = blockedAt == 0 && now - pollEnd < 0;
            int millis = polling ? 0 : Connection.sliceMillis(forever ? Long.MAX_VALUE : deadline - now);
            if (millis > 0) {
                if (Thread.currentThread().isInterrupted()) throw interrupted(0);
                if (blockedAt == 0) blockedAt = now;
            }
            Native.pollfd(pollfd, 0, fd, Native.POLLIN);
            int r = Native.poll(errno, pollfd, 1, millis);
            if (r > 0) {
                if (blockedAt != 0) spin.learnFromBlocking(budget, System.nanoTime() - blockedAt);
                else spin.learnFromPolling(budget, System.nanoTime() - began);
                return true;
            }
            if (r < 0 && Native.errno(errno) != Native.EINTR) throw Native.error("poll", Native.errno(errno));
            if (!forever && deadline - System.nanoTime() <= 0) {
                if (blockedAt != 0) spin.learnFromBlocking(budget, Long.MAX_VALUE); // nothing came: the peer was idle
                return false;
            }
            if (polling) Thread.yield();
            else checkOpenAndNotInterrupted(0);
        }
    }

    private void checkOpenAndNotInterrupted(int transferred) throws IOException {
        if (descriptor.isClosed()) throw new ClosedConnectionException("the connection was closed while receiving");
        if (Thread.currentThread().isInterrupted()) throw interrupted(transferred);
    }

    static InterruptedIOException interrupted(int transferred) {
        InterruptedIOException e = new InterruptedIOException("interrupted while receiving (the interrupt status is kept; the connection stays usable)");
        e.bytesTransferred = transferred;
        return e;
    }

    static EOFException midMessageEof(long have, long need) {
        return new EOFException("the peer closed the connection in the middle of a message: received "
                + have + " of " + need + " bytes");
    }
}
