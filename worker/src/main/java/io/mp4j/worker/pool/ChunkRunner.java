package io.mp4j.worker.pool;

import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import io.mp4j.worker.ProcessExit;
import io.mp4j.worker.task.FunctionRef;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the items of one task and writes their outcomes as a RESULT ({@link PoolMessages}): each item's value
 * encoded against the function's return type, or its exception, or a timeout. An item that cannot be decoded
 * fails with the reason, and so do the items after it in the task (their arguments cannot be found), but the
 * worker goes on with the next task. Functions are decoded once and kept by id, as is a function that cannot be
 * decoded (its tasks fail at once with the same error). Not thread-safe: one per worker.
 */
public final class ChunkRunner {
    private final ClassLoader loader;
    private final Path queue;
    private final Map<Integer, Object> functions = new HashMap<>(); // FunctionRef, or the Throwable that decoding it threw

    /**
     * A runner that decodes each function once and keeps it.
     *
     * @param loader the class loader of the tasks' classes
     * @param queue the pool's work queue file, beside which long functions travel
     */
    public ChunkRunner(ClassLoader loader, Path queue) {
        this.loader = loader;
        this.queue = queue;
    }

    /**
     * Runs the task whose head was just read from {@code in} (positioned at its first item) and writes the RESULT
     * reply into {@code out}.
     *
     * @param taskId the task's id, echoed in the reply
     * @param head the task's head
     * @param in the task's record, at its first item
     * @param out where the reply goes (cleared first)
     * @param watchdog interrupts an item at the task timeout
     * @return an {@link Error} an item threw that leaves the worker in doubt (out of memory, linkage...), for the
     *         caller to end the worker after sending the result; else null
     * @throws ProcessExit when an item asked for its process to exit
     */
    public Error run(long taskId, PoolMessages.TaskHead head, WireBuffer in, WireBuffer out, TaskWatchdog watchdog) {
        long t0 = System.nanoTime();
        PoolMessages.begin(out, PoolMessages.RESULT);
        out.writeLong(taskId);
        int elapsedAt = out.size();
        out.writeLong(0);
        out.writeInt(head.n());
        Error fatal = null;
        Object f = function(head, in);
        Throwable unreadable = f instanceof Throwable t ? t : null;
        for (int i = 0; i < head.n(); i++) {
            if (unreadable != null) {
                out.writeByte(PoolMessages.ERROR);
                PoolMessages.writeErrorSafely(out, unreadable);
                continue;
            }
            FunctionRef fn = (FunctionRef) f;
            Object[] args;
            try {
                args = fn.readArgs(in, loader);
            } catch (IOException | RuntimeException | LinkageError e) {
                unreadable = new CodecException("the worker cannot decode the arguments of item " + i + " of " + fn.describe() + ": " + e, e);
                i--;
                continue;
            }
            Object result = null;
            Throwable failure = null;
            long started = head.timeoutNanos() > 0 ? watchdog.start(taskId, head.timeoutNanos()) : 0;
            try {
                result = fn.invoke(args);
            } catch (ProcessExit e) {
                throw e;
            } catch (Throwable t) {
                failure = t;
            }
            if (head.timeoutNanos() > 0) {
                watchdog.end();
                Thread.interrupted(); // a late interrupt must not leak into the next item
                if (System.nanoTime() - started >= head.timeoutNanos()) {
                    out.writeByte(PoolMessages.TIMEOUT);
                    writeString(out, "task exceeded its timeout of " + describe(head.timeoutNanos()) + " and was interrupted");
                    continue;
                }
            }
            if (failure == null) {
                int mark = out.size();
                try {
                    out.writeByte(PoolMessages.OK);
                    Codec.writeSlot(out, result, returnType(fn));
                } catch (IOException | RuntimeException e) {
                    out.setSize(mark);
                    out.writeByte(PoolMessages.ENCODE_ERROR);
                    PoolMessages.writeErrorSafely(out, new CodecException("the result of " + fn.describe() + " cannot be sent back: " + e.getMessage(), e));
                }
            } else {
                out.writeByte(PoolMessages.ERROR);
                PoolMessages.writeErrorSafely(out, failure);
                if (failure instanceof Error e && !(failure instanceof AssertionError) && !(failure instanceof StackOverflowError)) fatal = e;
            }
        }
        out.putLong(elapsedAt, System.nanoTime() - t0);
        return fatal;
    }

    /** The task's function (decoded once per id), or why it cannot be decoded. */
    private Object function(PoolMessages.TaskHead head, WireBuffer in) {
        Object f = functions.get(head.fnId());
        if (f != null) return f;
        try {
            WireBuffer fb;
            if (head.functionInFile()) {
                byte[] b = Files.readAllBytes(PoolMessages.functionFile(queue, head.fnId()));
                fb = new WireBuffer(b, b.length);
            } else {
                fb = new WireBuffer(in.array(), head.fnOffset() + head.fnLength());
                fb.position(head.fnOffset());
            }
            f = FunctionRef.read(fb, loader);
        } catch (IOException | RuntimeException | LinkageError e) {
            f = new CodecException("the worker cannot decode the function of this task: " + e, e);
        }
        functions.put(head.fnId(), f);
        return f;
    }

    private final Map<FunctionRef, Type> returnTypes = new java.util.IdentityHashMap<>();

    private Type returnType(FunctionRef fn) {
        return returnTypes.computeIfAbsent(fn, k -> k.returnType() == void.class ? Object.class : k.returnType());
    }

    private static void writeString(WireBuffer out, String s) {
        try {
            Codec.writeString(out, s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms >= 1 ? ms + " ms" : nanos + " ns";
    }
}
