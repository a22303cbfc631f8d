package io.mp4j.worker.pool;

import io.mp4j.ipc.codec.Codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's wire protocol between the pool (coordinator) and a worker ({@link WorkerLoop}), over a pair
 * of named pipes (FIFOs) per worker in the context's private directory. Every frame is {@code int length} (of what follows), {@code byte type},
 * then the payload:
 *
 * <pre>
 *   pool -> worker
 *     INIT   byte hasInitializer, [FunctionRef, args]            first frame, once
 *     FUNC   int fnId, FunctionRef                               once per function and worker
 *     TASK   long seq, int fnId, long timeoutNanos, int n, n x args   a chunk of n items
 *     STOP   (none)                                              finish what was sent, then exit
 *   worker -> pool
 *     HELLO  str token, long pid, int workerId                   first frame, once
 *     RESULT long seq, long elapsedNanos, int n, n x (byte status, slot | error)
 *     INIT_FAILED error                                          the initializer threw; the worker exits
 *     KILLED long seq, str message    a task over its timeout ignored the interrupt; the worker exits
 *     BYE    str reason                                          the worker exits with nothing running
 * </pre>
 * Results come back in the order tasks were sent (one worker runs its tasks one after the other), so the
 * pool knows which task a worker is running: the oldest one without a result.
 */
public final class PoolWire {
    /** Frame types from the pool to a worker. */
    public static final byte INIT = 1, FUNC = 2, TASK = 3, STOP = 4;
    /** Frame types from a worker to the pool. */
    public static final byte HELLO = 10, RESULT = 11, INIT_FAILED = 12, KILLED = 13, BYE = 14;

    /** Per-item result status. */
    public static final byte OK = 0, ERROR = 1, ENCODE_ERROR = 2, TIMEOUT = 3;

    /** Exit status of a worker that ended itself because a task ignored its interrupt after the timeout. */
    public static final int EXIT_TASK_TIMEOUT = 124;
    /** Exit status of a worker that ended itself after an {@link Error} (out of memory, ...) in a task. */
    public static final int EXIT_TASK_ERROR = 3;

    private static final int MAX_CHAIN = 16;

    private PoolWire() {}

    /**
     * Starts a frame: reserves the length and writes the type; returns the frame's start for {@link #end}.
     *
     * @param b the buffer
     * @param type the frame type
     * @return the frame's start
     */
    public static int begin(WireBuffer b, byte type) {
        int start = b.size();
        b.writeInt(0);
        b.writeByte(type);
        return start;
    }

    /**
     * Ends a frame started at {@code start}: patches its length.
     *
     * @param b the buffer
     * @param start what {@link #begin} returned
     */
    public static void end(WireBuffer b, int start) { b.putInt(start, b.size() - start - 4); }

    // ------------------------------------------------------------------ exceptions

    /**
     * One exception of a chain as it was in the worker.
     *
     * @param className the exception's class
     * @param message its message, or null
     * @param frames its stack frames
     */
    public record ErrorEntry(String className, String message, StackTraceElement[] frames) {}

    /**
     * Writes {@code t} and its causes: class, message, stack frames; never throws for odd exceptions.
     *
     * @param out where it goes
     * @param t the exception
     * @throws IOException when {@code out} fails
     */
    public static void writeError(DataOutput out, Throwable t) throws IOException {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable c = t; c != null && chain.size() < MAX_CHAIN && !chain.contains(c); c = c.getCause()) chain.add(c);
        out.writeShort(chain.size());
        for (Throwable c : chain) {
            Codec.writeString(out, c.getClass().getName());
            String msg;
            try {
                msg = c.getMessage();
            } catch (RuntimeException e) {
                msg = "(getMessage() threw " + e + ")";
            }
            Codec.writeNullableString(out, msg);
            StackTraceElement[] st = c.getStackTrace();
            out.writeShort(Math.min(st.length, 1024));
            for (int i = 0; i < st.length && i < 1024; i++) {
                Codec.writeString(out, st[i].getClassName());
                Codec.writeString(out, st[i].getMethodName());
                Codec.writeNullableString(out, st[i].getFileName());
                out.writeInt(st[i].getLineNumber());
            }
        }
    }

    /**
     * Reads a chain written by {@link #writeError}.
     *
     * @param in where it comes from
     * @return the exception and its causes, outermost first
     * @throws IOException when {@code in} fails
     */
    public static List<ErrorEntry> readError(DataInput in) throws IOException {
        int n = in.readShort();
        List<ErrorEntry> chain = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String cls = Codec.readString(in);
            String msg = Codec.readString(in);
            StackTraceElement[] frames = new StackTraceElement[in.readShort()];
            for (int k = 0; k < frames.length; k++) {
                frames[k] = new StackTraceElement(Codec.readString(in), Codec.readString(in), Codec.readString(in), in.readInt());
            }
            chain.add(new ErrorEntry(cls, msg, frames));
        }
        return chain;
    }

    /**
     * The chain formatted as {@code printStackTrace} prints it.
     *
     * @param chain the exception and its causes
     * @return the text
     */
    public static String format(List<ErrorEntry> chain) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            ErrorEntry e = chain.get(i);
            if (i > 0) sb.append("Caused by: ");
            sb.append(e.className());
            if (e.message() != null) sb.append(": ").append(e.message());
            sb.append('\n');
            for (StackTraceElement f : e.frames()) sb.append("\tat ").append(f).append('\n');
        }
        return sb.toString();
    }
}
