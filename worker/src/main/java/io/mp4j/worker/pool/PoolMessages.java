package io.mp4j.worker.pool;

import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.ipc.codec.Codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pool's messages between the pool and its workers, encoded and decoded here only. They travel on the pool's
 * work queue ({@code io.mp4j.ipc.ring}): tasks as the payloads of task records, everything else as replies.
 *
 * <pre>
 *   task (pool -> any worker; the record's tag is n)
 *     int fnId, int fnLength (-1: in the file {@link #functionFile}), fnLength bytes of function,
 *     int n, long timeoutNanos, n x args
 *   replies (worker -> pool), first byte the type
 *     HELLO       short version, long pid                    first reply, once, after the initializer
 *     RESULT      long taskId, long elapsedNanos, int n, n x (byte status, slot | error | str)
 *     INIT_FAILED error                                      the initializer threw; the worker exits
 *     KILLED      long taskId, str message                   a task over its timeout ignored the interrupt; the worker exits
 *     RETIRING    str reason                                 it takes no more tasks after the one it runs
 *     BYE         str reason                                 it exits now, running nothing
 * </pre>
 * The version travels in the first message of each side: the worker's settings ({@link WorkerSettings}) and its
 * HELLO; a worker of another version is refused by the pool (and refuses settings of another version).
 */
public final class PoolMessages {
    /** The protocol's version, in the worker's settings and its HELLO. */
    public static final short VERSION = 1;

    /** Reply: the worker is ready (its version and pid). */
    public static final byte HELLO = 1;
    /** Reply: the outcomes of a task's items. */
    public static final byte RESULT = 2;
    /** Reply: the pool's initializer threw (the exception follows). */
    public static final byte INIT_FAILED = 3;
    /** Reply: a task over its timeout ignored the interrupt; the worker exits. */
    public static final byte KILLED = 4;
    /** Reply: the worker takes no more tasks after the one it runs. */
    public static final byte RETIRING = 5;
    /** Reply: the worker exits now, running nothing. */
    public static final byte BYE = 6;

    /** Item status: it returned a value (the encoded value follows). */
    public static final byte OK = 0;
    /** Item status: it threw (the exception chain follows). */
    public static final byte ERROR = 1;
    /** Item status: it returned a value that could not be encoded (the encoder's exception follows). */
    public static final byte ENCODE_ERROR = 2;
    /** Item status: it ran over the task timeout and was interrupted. */
    public static final byte TIMEOUT = 3;

    /** Exit status of a worker that ended itself because a task ignored its interrupt after the timeout. */
    public static final int EXIT_TASK_TIMEOUT = 124;
    /** Exit status of a worker that ended itself after an {@link Error} (out of memory, ...) in a task. */
    public static final int EXIT_TASK_ERROR = 3;

    /** A function whose encoding is longer than this travels once in a file, not in every task. */
    public static final int MAX_INLINE_FUNCTION = 512;

    private static final int MAX_CHAIN = 16;

    private PoolMessages() {}

    /**
     * Where the pool writes a function too long to travel in every task.
     *
     * @param queue the work queue's file
     * @param fnId the function's id
     * @return the file beside the queue
     */
    public static Path functionFile(Path queue, int fnId) { return queue.resolveSibling(queue.getFileName() + ".f" + fnId); }

    // ------------------------------------------------------------------ tasks

    /**
     * Writes a task's head (its items' arguments follow it in the record).
     *
     * @param b where it goes
     * @param fnId the function's id
     * @param function the encoded function; longer than {@link #MAX_INLINE_FUNCTION}, it is left out (it is in its file)
     * @param n the number of items
     * @param timeoutNanos the task timeout, 0 for none
     */
    public static void writeTaskHead(WireBuffer b, int fnId, byte[] function, int n, long timeoutNanos) {
        b.writeInt(fnId);
        if (function.length > MAX_INLINE_FUNCTION) {
            b.writeInt(-1);
        } else {
            b.writeInt(function.length);
            b.write(function);
        }
        b.writeInt(n);
        b.writeLong(timeoutNanos);
    }

    /**
     * A task's head as read; the buffer is then at the first item's arguments.
     *
     * @param fnId the function's id
     * @param fnOffset where the encoded function starts in the buffer
     * @param fnLength its length, or -1 when it travelled in a file
     * @param n the number of items, at least 1
     * @param timeoutNanos the task timeout, 0 for none
     */
    public record TaskHead(int fnId, int fnOffset, int fnLength, int n, long timeoutNanos) {
        /** {@return whether the function travelled in a file} */
        public boolean functionInFile() { return fnLength < 0; }
    }

    /**
     * Reads a task's head written by {@link #writeTaskHead}.
     *
     * @param in the task's record, at its start
     * @return the head; {@code in} is then at the first item's arguments
     * @throws IOException when the head is malformed
     */
    public static TaskHead readTaskHead(WireBuffer in) throws IOException {
        int fnId = in.readInt();
        int fnLength = in.readInt();
        int fnOffset = in.position();
        if (fnLength > 0) in.skipBytes(fnLength);
        int n = in.readInt();
        long timeout = in.readLong();
        if (n < 1) throw new IOException("task with " + n + " items");
        return new TaskHead(fnId, fnOffset, fnLength, n, timeout);
    }

    // ------------------------------------------------------------------ replies

    /**
     * Starts a reply of {@code type} in an empty buffer.
     *
     * @param b the buffer, cleared
     * @param type the reply's type
     */
    public static void begin(WireBuffer b, byte type) {
        b.clear();
        b.writeByte(type);
    }

    /**
     * Writes a HELLO: the version and the worker's pid.
     *
     * @param b the buffer, cleared
     * @param pid the worker's process id
     */
    public static void writeHello(WireBuffer b, long pid) {
        begin(b, HELLO);
        b.writeShort(VERSION);
        b.writeLong(pid);
    }

    /**
     * Reads a HELLO after its type byte.
     *
     * @param in the reply, after its type
     * @return the worker's pid
     * @throws IOException when the version differs
     */
    public static long readHello(WireBuffer in) throws IOException {
        short v = in.readShort();
        if (v != VERSION) throw new IOException("pool worker version not compatible: expected=" + VERSION + " found=" + v);
        return in.readLong();
    }

    /**
     * Writes a reply that carries only words: RETIRING, BYE.
     *
     * @param b the buffer, cleared
     * @param type the reply's type
     * @param reason why, for the pool's log
     */
    public static void writeReason(WireBuffer b, byte type, String reason) {
        begin(b, type);
        try {
            Codec.writeString(b, reason);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a WireBuffer does not fail
        }
    }

    // ------------------------------------------------------------------ exceptions

    /**
     * One exception of a chain as it was in the worker.
     *
     * @param className the exception's class
     * @param message its message, or null
     * @param frames its stack trace
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
     * {@link #writeError} into a buffer, falling back to a plain description if the exception cannot be described.
     *
     * @param b where it goes
     * @param t the exception
     */
    public static void writeErrorSafely(WireBuffer b, Throwable t) {
        int mark = b.size();
        try {
            writeError(b, t);
        } catch (IOException | RuntimeException | Error e) {
            b.setSize(mark);
            try {
                writeError(b, new RuntimeException(t.getClass().getName() + " (could not be described: " + e + ")"));
            } catch (IOException never) {
                throw new IllegalStateException(never);
            }
        }
    }

    /**
     * Reads a chain written by {@link #writeError}.
     *
     * @param in where it comes from
     * @return the chain, the exception first, then its causes
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
     * @param chain the chain as read
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
