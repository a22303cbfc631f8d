package io.mp4j.ipc.connection;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket descriptor that a reading thread, a writing thread and a closing thread share safely.
 *
 * <p>A call that uses the descriptor brackets it with {@link #acquire()} and {@link #release()}. The
 * descriptor number is closed by the last of {@link #close()} and the release of the last user, never
 * while a system call may still use it: otherwise the number could be reused by an unrelated file opened
 * meanwhile, and a late call would read or write that file.
 */
final class Descriptor {
    // state: bit 30 = closed (no new users), bit 29 = descriptor released; bits 0-28 = users inside a call.
    // Transitions: users +1/-1 while open; close sets CLOSED once; whoever sees state == CLOSED (closed, no
    // users) sets RELEASED by CAS and closes the number, exactly once.
    private static final int CLOSED = 1 << 30, RELEASED = 1 << 29, USERS = RELEASED - 1;

    private final int fd;
    private final AtomicInteger state = new AtomicInteger();

    Descriptor(int fd) {
        if (fd < 0) throw new IllegalArgumentException("descriptor must not be negative: fd=" + fd);
        this.fd = fd;
    }

    /** The descriptor number, for a call between {@link #acquire()} and {@link #release()}. */
    int fd() { return fd; }

    /**
     * Registers a user and returns the descriptor number.
     *
     * @throws ClosedConnectionException when {@link #close()} was called
     */
    int acquire() throws ClosedConnectionException {
        int s = state.getAndIncrement();
        if ((s & CLOSED) != 0) {
            release();
            throw new ClosedConnectionException();
        }
        return fd;
    }

    /** Ends a call begun with {@link #acquire()}. */
    void release() {
        if (state.decrementAndGet() == CLOSED) releaseNumber();
    }

    boolean isClosed() { return (state.get() & CLOSED) != 0; }

    /**
     * Stops new users; the number is closed now if nobody is inside a call, else by the last one leaving.
     * Returns false if it was closed already.
     */
    boolean close() {
        int s = state.getAndUpdate(x -> x | CLOSED);
        if ((s & CLOSED) != 0) return false;
        if ((s & USERS) == 0) releaseNumber();
        return true;
    }

    private void releaseNumber() {
        if (state.compareAndSet(CLOSED, CLOSED | RELEASED)) Native.close(fd);
    }

    @Override
    public String toString() { return "fd " + fd + (isClosed() ? " (closed)" : ""); }
}
