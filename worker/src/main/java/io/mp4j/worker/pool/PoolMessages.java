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
    public static final short VERSION = 1;

    public static final byte HELLO = 1, RESULT = 2, INIT_FAILED = 3, KILLED = 4, RETIRING = 5, BYE = 6;

    /** Per-item result status. */
    public static final byte OK = 0, ERROR = 1, ENCODE_ERROR = 2, TIMEOUT = 3;

    /** Exit status of a worker that ended itself because a task ignored its interrupt after the timeout. */
    public static final int EXIT_TASK_TIMEOUT = 124;
    /** Exit status of a worker that ended itself after an {@link Error} (out of memory, ...) in a task. */
    public static final int EXIT_TASK_ERROR = 3;

    /** A function whose encoding is longer than this travels once in a file, not in every task. */
    public static final int MAX_INLINE_FUNCTION = 512;

    private static final int MAX_CHAIN = 16;

    private PoolMessages() {}

    /** Where the pool writes a function too long to travel in every task. */
    public static Path functionFile(Path queue, int fnId) { return queue.resolveSibling(queue.getFileName() + ".f" + fnId); }

    // ------------------------------------------------------------------ tasks

    /** Writes a task's head (its items' arguments follow it in the record). */
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

    /** A task's head as read; the buffer is then at the first item's arguments. */
    public record TaskHead(int fnId, int fnOffset, int fnLength, int n, long timeoutNanos) {
        /** Whether the function travelled in a file. */
        public boolean functionInFile() { return fnLength < 0; }
    }

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

    /** Starts a reply of {@code type} in an empty buffer. */
    public static void begin(WireBuffer b, byte type) {
        b.clear();
        b.writeByte(type);
    }

    public static void writeHello(WireBuffer b, long pid) {
        begin(b, HELLO);
        b.writeShort(VERSION);
        b.writeLong(pid);
    }

    /** Reads a HELLO after its type byte; returns the pid. @throws IOException when the version differs */
    public static long readHello(WireBuffer in) throws IOException {
        short v = in.readShort();
        if (v != VERSION) throw new IOException("pool worker version not compatible: expected=" + VERSION + " found=" + v);
        return in.readLong();
    }

    public static void writeReason(WireBuffer b, byte type, String reason) {
        begin(b, type);
        try {
            Codec.writeString(b, reason);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a WireBuffer does not fail
        }
    }

    // ------------------------------------------------------------------ exceptions

    /** One exception of a chain as it was in the worker. */
    public record ErrorEntry(String className, String message, StackTraceElement[] frames) {}

    /** Writes {@code t} and its causes: class, message, stack frames; never throws for odd exceptions. */
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

    /** {@link #writeError} into a buffer, falling back to a plain description if the exception cannot be described. */
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

    /** The chain formatted as {@code printStackTrace} prints it. */
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
