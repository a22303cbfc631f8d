package io.mp4j.ipc.connection;

import io.mp4j.ipc.codec.Codec;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Type;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a {@link Connection}. A message is encoded into a reusable heap array behind its
 * 4-byte length prefix and handed to the kernel with one non-blocking {@code send} straight from that
 * array; only when the socket is full does the sender wait (in slices, noticing close and interrupts)
 * for room. A large byte message is sent from the caller's array without a copy.
 *
 * <p>Every method runs under {@link #lock} (callers are serialized).
 */
final class Sender {
    private static final int INITIAL = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Descriptor descriptor;
    // guarded by lock
    private FrameOutput out;
    private MemorySegment errno, pollfd;

    Sender(Descriptor descriptor) { this.descriptor = descriptor; }

    private FrameOutput out() {
        if (out == null) {
            out = new FrameOutput(INITIAL);
            errno = Native.newErrno();
            pollfd = Arena.ofAuto().allocate(8, 8);
        }
        return out;
    }

    void sendObject(Object value, Type declared) throws IOException {
        lockInterruptibly();
        try {
            FrameOutput o = out();
            o.begin();
            Codec.writeSlot(o, value, declared); // fails before anything is sent
            int n = o.end();
            int fd = descriptor.acquire();
            try {
                write(fd, o.segment(), 0, n, true);
            } finally {
                descriptor.release();
                o.trim();
            }
        } finally {
            lock.unlock();
        }
    }

    void sendBytes(byte[] b, int offset, int length) throws IOException {
        lockInterruptibly();
        try {
            FrameOutput o = out();
            o.begin();
            int fd = descriptor.acquire();
            try {
                if (length <= o.capacity() - 4) {
                    o.write(b, offset, length);
                    write(fd, o.segment(), 0, o.end(), true);
                } else {
                    o.putInt(0, length);
                    write(fd, o.segment(), 0, 4, true);
                    write(fd, MemorySegment.ofArray(b), offset, length, false);
                }
            } finally {
                descriptor.release();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for another thread's send to end; an interrupt meanwhile ends the wait, with nothing of the message sent. */
    private void lockInterruptibly() throws InterruptedIOException {
        if (lock.tryLock()) return; // no wait: a pending interrupt is for a wait to honour
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while another thread was sending on this connection; nothing of the"
                    + " message was sent (the interrupt status is kept)");
        }
    }

    /**
     * Sends {@code [off, off + len)} of a heap segment completely. An interrupt is honoured only before
     * the first byte of a message has gone ({@code startOfMessage}): after that the message is finished,
     * since a half-sent one would corrupt the stream; the interrupt status stays set.
     */
    private void write(int fd, MemorySegment seg, int off, int len, boolean startOfMessage) throws IOException {
        int done = 0;
        boolean full = false; // a short write filled the socket: wait for room before trying again
        while (done < len) {
            if (full) awaitWritable(fd, startOfMessage && done == 0);
            MemorySegment from = off + done == 0 ? seg : seg.asSlice(off + done);
            long n = Native.sendHeapNow(errno, fd, from, len - done);
            if (n >= 0) {
                full = n < len - done;
                done += (int) n;
                continue;
            }
            int err = Native.errno(errno);
            if (err == Native.EAGAIN) {
                full = true;
            } else if (err == Native.EPIPE || err == Native.ECONNRESET) {
                throw new IOException("broken pipe: the peer has closed the connection (" + Native.strerror(err) + ")");
            } else if (err != Native.EINTR) {
                throw Native.error("send", err);
            }
        }
    }

    private void awaitWritable(int fd, boolean interruptible) throws IOException {
        while (true) {
            if (interruptible && Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while sending; nothing of the message was sent (the interrupt status is kept)");
            }
            Native.pollfd(pollfd, 0, fd, Native.POLLOUT);
            int r = Native.poll(errno, pollfd, 1, Connection.SLICE_MILLIS);
            if (r > 0) return;
            if (r < 0 && Native.errno(errno) != Native.EINTR) throw Native.error("poll", Native.errno(errno));
            if (descriptor.isClosed()) throw new ClosedConnectionException("the connection was closed while sending");
        }
    }
}
