package io.mp4j.worker.pool;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import io.mp4j.worker.ChildMain;
import io.mp4j.worker.FastExit;
import io.mp4j.worker.task.FunctionRef;

import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A pool worker: the target of every pool process ({@code ctx.process(WorkerLoop::run, ...)}), so it runs
 * under every start method, as a JVM or (THREAD) as a thread. It opens its pair of named pipes in the
 * context's private directory (tasks in, results out), says hello with the pool's token, runs the initializer,
 * then runs the tasks it is sent, in order, and writes their results (see {@link PoolWire}).
 *
 * <p>Results are batched: after a task the worker flushes at once when no further task is already
 * buffered; otherwise it goes on and a flusher thread sends what waits longer than {@link #LINGER_MS},
 * so that a fast result is never held back by a slow task behind it.
 *
 * <p>A task with a timeout is watched by a watchdog thread: at its deadline the running thread is
 * interrupted; if the task has not ended {@link #GRACE_MS} later, the worker reports it (KILLED) and
 * ends itself (a JVM halts; a THREAD worker abandons its thread, which the pool replaces).
 */
public final class WorkerLoop {
    static final long LINGER_MS = 1;
    static final long GRACE_MS = 500;
    static final long FLUSH_NANOS = 50_000;

    private final FileChannel rx;
    private final FileChannel tx;
    private final boolean ownJvm;
    private final Thread mainThread = Thread.currentThread();
    private final WireBuffer in = new WireBuffer(1 << 16);
    private final WireBuffer frame = new WireBuffer(1 << 12);
    private final Map<Integer, FunctionRef> functions = new HashMap<>();
    private final Map<Integer, Type> returnTypes = new HashMap<>();
    /** Functions this worker could not decode, with why: each of their tasks fails with it. */
    private final Map<Integer, CodecException> undecodable = new HashMap<>();

    // guarded by outLock
    private final Object outLock = new Object();
    private final WireBuffer out = new WireBuffer(1 << 14);
    private long pendingSince;
    private Thread flusher;
    private volatile boolean abandoned;

    // guarded by watch
    private final Object watch = new Object();
    private long watchedSeq = -1;
    private long watchedDeadline;
    private Thread watchdog;

    private WorkerLoop(FileChannel rx, FileChannel tx, boolean ownJvm) {
        this.rx = rx;
        this.tx = tx;
        this.ownJvm = ownJvm;
    }

    /**
     * The worker's main: opens the pool's two pipes ({@code base + ".in"} to read tasks, {@code base + ".out"}
     * to write results), proves {@code token}, and serves until told to stop or until the pool goes away.
     *
     * @param ownJvm true when this worker is a JVM of its own (it may end itself), false for a THREAD worker
     * @param base the pipes' path without {@code .in}/{@code .out}
     * @param token the pool's token, said in the hello
     * @param workerId the worker's number in its pool
     * @throws Exception when the pipes cannot be opened, or a frame is corrupt
     */
    public static void run(String base, String token, Integer workerId, Boolean ownJvm) throws Exception {
        FileChannel rx = FileChannel.open(Path.of(base + ".in"), StandardOpenOption.READ);
        FileChannel tx;
        try {
            tx = FileChannel.open(Path.of(base + ".out"), StandardOpenOption.WRITE);
        } catch (IOException e) {
            rx.close();
            throw e;
        }
        WorkerLoop w = new WorkerLoop(rx, tx, ownJvm);
        try {
            w.hello(token, workerId);
            w.serve();
        } catch (IOException e) {
            // the pool closed our pipes (it ended, or it gave up on this worker): nothing to report
        } catch (ChildMain.ProcessExit e) {
            throw e;
        } catch (Throwable t) {
            // this worker ends with t: leave it where the pool looks when it reports the worker's end
            lastWords(base, t);
            throw t;
        } finally {
            rx.close();
            tx.close();
        }
        if (ownJvm) endJvm(0);
    }

    /** The task of {@link #warmUp}. */
    @FunctionalInterface
    interface WarmFn extends java.io.Serializable { Integer apply(Integer x); }

    static Integer warmTask(Integer x) { return x + 1; }

    /**
     * Runs a worker's whole path in this JVM, on files instead of the pool's pipes: hello, an initializer-less
     * INIT, a function, 200 tasks of 4 items, STOP. For warm standby JVMs, so that the first task of a pool made
     * of them does not wait for this JVM to load and interpret it all (docs/journal/2026-12-07-figures-from-code-comments.md#pools).
     * The files are unlinked as soon as they are open.
     *
     * @throws Exception when the warm-up's files cannot be written or read
     */
    public static void warmUp() throws Exception {
        WireBuffer b = new WireBuffer(1 << 14);
        int s = PoolWire.begin(b, PoolWire.INIT);
        b.writeBoolean(false);
        PoolWire.end(b, s);
        WarmFn fn = WorkerLoop::warmTask;
        FunctionRef f = FunctionRef.of(fn);
        s = PoolWire.begin(b, PoolWire.FUNC);
        b.writeInt(1);
        f.write(b);
        PoolWire.end(b, s);
        for (int t = 0; t < 200; t++) {
            s = PoolWire.begin(b, PoolWire.TASK);
            b.writeLong(t);
            b.writeInt(1);
            b.writeLong(0);
            b.writeInt(4);
            for (int k = 0; k < 4; k++) f.writeArgs(b, new Object[]{t + k});
            PoolWire.end(b, s);
        }
        s = PoolWire.begin(b, PoolWire.STOP);
        PoolWire.end(b, s);
        // the files exist only for the few calls from here to their deletion
        Path dir = io.mp4j.ipc.sync.Warmup.scratchDir(
                io.mp4j.ipc.sync.Warmup.scratchRoot(Path.of(System.getProperty("java.io.tmpdir"))), "mp4j-pool-warmup-");
        Path inFile = dir.resolve("w.in"), outFile = dir.resolve("w.out");
        Files.write(inFile, java.util.Arrays.copyOf(b.array(), b.size()));
        try (FileChannel rx = FileChannel.open(inFile, StandardOpenOption.READ);
             FileChannel tx = FileChannel.open(outFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Files.deleteIfExists(inFile);
            Files.deleteIfExists(outFile);
            Files.deleteIfExists(dir);
            WorkerLoop w = new WorkerLoop(rx, tx, false);
            w.hello("warm-up", 0);
            w.serve();
            synchronized (w.outLock) {
                w.abandoned = true; // ends the flusher, if it started
                w.outLock.notifyAll();
            }
        } finally {
            io.mp4j.ipc.sync.Warmup.deleteTree(dir);
        }
    }

    /**
     * Ends this worker JVM at once, as Python's worker ends with {@code os._exit}: {@link FastExit} halts
     * (after waking the threads blocked in reads, whose native wait would hold the JVM's exit a long while)
     * unless a shutdown hook or delete-on-exit file was registered, which then run. The pool already knows
     * the worker is done (it said BYE or KILLED).
     */
    static void endJvm(int status) {
        FastExit.exit(status);
    }

    private void hello(String token, int workerId) throws IOException {
        synchronized (outLock) {
            int s = PoolWire.begin(out, PoolWire.HELLO);
            Codec.writeString(out, token);
            out.writeLong(ProcessHandle.current().pid());
            out.writeInt(workerId);
            PoolWire.end(out, s);
            flushLocked();
        }
    }

    private void serve() throws Exception {
        ClassLoader loader = WorkerLoop.class.getClassLoader();
        while (true) {
            int len = nextFrame();
            if (len < 0) return; // the pool is gone
            int endOfFrame = in.position() + len;
            byte type = in.readByte();
            long taskNanos = 0;
            switch (type) {
                case PoolWire.INIT -> {
                    if (in.readBoolean()) {
                        FunctionRef init;
                        Object[] args;
                        try {
                            init = FunctionRef.read(in, loader);
                            args = init.readArgs(in, loader);
                        } catch (RuntimeException | LinkageError e) {
                            sendError(PoolWire.INIT_FAILED, cannotDecode("the initializer or its arguments", e));
                            return;
                        }
                        try {
                            init.invoke(args);
                        } catch (Throwable t) {
                            sendError(PoolWire.INIT_FAILED, t);
                            return;
                        }
                    }
                }
                case PoolWire.FUNC -> {
                    int id = in.readInt();
                    try {
                        FunctionRef f = FunctionRef.read(in, loader);
                        functions.put(id, f);
                        returnTypes.put(id, f.returnType() == void.class ? Object.class : f.returnType());
                    } catch (RuntimeException | LinkageError e) {
                        // its tasks fail with this, and the worker goes on serving the others
                        undecodable.put(id, cannotDecode("the function of a task", e));
                    }
                }
                case PoolWire.TASK -> {
                    long t0 = System.nanoTime();
                    runTask(loader);
                    if (abandoned) return;
                    taskNanos = System.nanoTime() - t0;
                }
                case PoolWire.STOP -> {
                    sendBye("stopped");
                    return;
                }
                default -> throw new IOException("unknown frame type " + type);
            }
            in.position(endOfFrame);
            afterFrame(taskNanos);
        }
    }

    /**
     * After a frame: flush when nothing else is buffered, or when the results waiting are worth a system
     * call (a task of {@link #FLUSH_NANOS} or more, or results that have waited that long); else leave them
     * to batch up, with the flusher as a backstop.
     */
    private void afterFrame(long taskNanos) throws IOException {
        synchronized (outLock) {
            if (out.size() == 0) return;
            long now = System.nanoTime();
            if (pendingSince == 0) pendingSince = now;
            if (!hasBufferedFrame() || taskNanos >= FLUSH_NANOS || now - pendingSince >= FLUSH_NANOS) {
                flushLocked();
            } else {
                if (flusher == null) startFlusher();
                outLock.notifyAll();
            }
        }
    }

    private void runTask(ClassLoader loader) throws IOException {
        long seq = in.readLong();
        int fnId = in.readInt();
        long timeout = in.readLong();
        int n = in.readInt();
        FunctionRef fn = functions.get(fnId);
        CodecException fnFailure = fn == null ? undecodable.get(fnId) : null;
        if (fn == null && fnFailure == null) throw new IOException("task " + seq + " names unknown function " + fnId);
        Type rt = returnTypes.get(fnId);
        long t0 = System.nanoTime();
        frame.clear();
        int s = PoolWire.begin(frame, PoolWire.RESULT);
        frame.writeLong(seq);
        int elapsedAt = frame.size();
        frame.writeLong(0);
        frame.writeInt(n);
        Error fatal = null;
        Throwable unreadable = fnFailure; // once set, the rest of the frame's items fail with it
        for (int i = 0; i < n; i++) {
            Object[] args = null;
            if (unreadable == null) {
                try {
                    args = fn.readArgs(in, loader);
                } catch (CodecException e) {
                    // the item's slots were all read (each is whole before it decodes): the next item is readable
                    frame.writeByte(PoolWire.ERROR);
                    writeErrorSafely(e);
                    continue;
                } catch (IOException | RuntimeException | LinkageError e) {
                    unreadable = cannotDecode("the arguments of " + fn.describe(), e);
                }
            }
            if (unreadable != null) {
                frame.writeByte(PoolWire.ERROR);
                writeErrorSafely(unreadable);
                continue;
            }
            Object result = null;
            Throwable failure = null;
            long started = timeout > 0 ? watchStart(seq, timeout) : 0;
            try {
                result = fn.invoke(args);
            } catch (ChildMain.ProcessExit e) {
                throw e;
            } catch (Throwable t) {
                failure = t;
            }
            if (timeout > 0) {
                watchEnd();
                Thread.interrupted(); // a late interrupt must not leak into the next task
                if (abandoned) return;
                if (System.nanoTime() - started >= timeout) {
                    frame.writeByte(PoolWire.TIMEOUT);
                    Codec.writeString(frame, "task exceeded its timeout of " + describe(timeout) + " and was interrupted");
                    continue;
                }
            }
            if (failure == null) {
                int mark = frame.size();
                try {
                    frame.writeByte(PoolWire.OK);
                    Codec.writeSlot(frame, result, rt);
                } catch (IOException | RuntimeException e) {
                    frame.setSize(mark);
                    frame.writeByte(PoolWire.ENCODE_ERROR);
                    writeErrorSafely(new CodecException("the result of " + fn.describe() + " cannot be sent back: " + e.getMessage(), e));
                }
            } else {
                frame.writeByte(PoolWire.ERROR);
                writeErrorSafely(failure);
                if (failure instanceof Error e && !(failure instanceof AssertionError) && !(failure instanceof StackOverflowError)) fatal = e;
            }
        }
        frame.putLong(elapsedAt, System.nanoTime() - t0);
        PoolWire.end(frame, s);
        synchronized (outLock) {
            out.write(frame.array(), 0, frame.size());
        }
        if (fatal != null) {
            // an Error (out of memory, linkage...) leaves the JVM in doubt: report, then let the pool replace us
            synchronized (outLock) {
                int b = PoolWire.begin(out, PoolWire.BYE);
                Codec.writeString(out, "ended after " + fatal);
                PoolWire.end(out, b);
                flushLocked();
            }
            if (ownJvm) endJvm(PoolWire.EXIT_TASK_ERROR);
            abandoned = true;
        }
    }

    /** What a failure to decode {@code what} in this worker is reported as (the codec's own exception as it is). */
    private static CodecException cannotDecode(String what, Throwable e) {
        if (e instanceof CodecException c) return c;
        return new CodecException("cannot decode " + what + " in a pool worker: " + e, e);
    }

    /**
     * Writes why this worker ends to {@code base + ".died"}, where the pool reads it to say why the worker ended
     * (the worker's standard error may be anywhere). At most a few lines: the exception and its causes.
     */
    static void lastWords(String base, Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
            if (c != t) sb.append("; caused by ");
            sb.append(c);
            StackTraceElement[] st = c.getStackTrace();
            if (c == t && st.length > 0) sb.append(" (at ").append(st[0]).append(')');
        }
        try {
            Files.writeString(Path.of(base + ".died"), sb.length() > 2000 ? sb.substring(0, 2000) + "..." : sb);
        } catch (IOException | RuntimeException e) {
            // the pool's directory is gone: nobody is left to read it
        }
    }

    private void writeErrorSafely(Throwable t) throws IOException {
        int mark = frame.size();
        try {
            PoolWire.writeError(frame, t);
        } catch (RuntimeException | Error e) {
            frame.setSize(mark);
            PoolWire.writeError(frame, new RuntimeException(t.getClass().getName() + " (could not be described: " + e + ")"));
        }
    }

    private static String describe(long nanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
        return ms >= 1 ? ms + " ms" : nanos + " ns";
    }

    private void sendError(byte type, Throwable t) throws IOException {
        synchronized (outLock) {
            int s = PoolWire.begin(out, type);
            try {
                PoolWire.writeError(out, t);
            } catch (RuntimeException | Error e) {
                PoolWire.writeError(out, new RuntimeException(String.valueOf(t)));
            }
            PoolWire.end(out, s);
            flushLocked();
        }
    }

    private void sendBye(String reason) throws IOException {
        synchronized (outLock) {
            int s = PoolWire.begin(out, PoolWire.BYE);
            Codec.writeString(out, reason);
            PoolWire.end(out, s);
            flushLocked();
        }
    }

    // ------------------------------------------------------------------ input

    private boolean hasBufferedFrame() {
        int r = in.remaining();
        return r >= 4 && r - 4 >= in.getInt(in.position());
    }

    /** Returns the next frame's length with the position at its type byte, or -1 at end of input. */
    private int nextFrame() throws IOException {
        while (!hasBufferedFrame()) {
            if (in.position() > 0 && in.remaining() < (in.array().length >> 1)) in.compact();
            int need = in.remaining() >= 4 ? in.getInt(in.position()) + 4 - in.remaining() : 4096;
            in.ensure(Math.max(need, 4096));
            ByteBuffer bb = ByteBuffer.wrap(in.array(), in.size(), in.array().length - in.size());
            int k;
            try {
                k = rx.read(bb);
            } catch (IOException e) {
                return -1;
            }
            if (k < 0) return -1;
            in.advance(k);
        }
        int len = in.readInt();
        if (len <= 0) throw new EOFException("corrupt frame length " + len);
        return len;
    }

    // ------------------------------------------------------------------ output

    /** Called only while holding {@code outLock}. */
    private void flushLocked() throws IOException {
        if (out.size() == 0) return;
        ByteBuffer bb = ByteBuffer.wrap(out.array(), 0, out.size());
        while (bb.hasRemaining()) tx.write(bb);
        out.clear();
        pendingSince = 0;
    }

    /** Called only while holding {@code outLock}. */
    private void startFlusher() {
        flusher = Thread.ofPlatform().daemon(true).name("mp4j-pool-flusher").start(() -> {
            synchronized (outLock) {
                try {
                    while (!abandoned) {
                        if (out.size() == 0) {
                            outLock.wait();
                            continue;
                        }
                        long age = System.nanoTime() - pendingSince;
                        if (pendingSince != 0 && age >= TimeUnit.MILLISECONDS.toNanos(LINGER_MS)) flushLocked();
                        else outLock.wait(LINGER_MS);
                    }
                } catch (InterruptedException | IOException e) {
                    // the pool is gone or the worker ends: nothing left to flush
                }
            }
        });
    }

    // ------------------------------------------------------------------ timeouts

    private long watchStart(long seq, long timeout) {
        long now = System.nanoTime();
        synchronized (watch) {
            watchedSeq = seq;
            watchedDeadline = now + timeout;
            if (watchdog == null) {
                watchdog = Thread.ofPlatform().daemon(true).name("mp4j-pool-watchdog").start(this::watchLoop);
            }
            watch.notifyAll();
        }
        return now;
    }

    private void watchEnd() {
        synchronized (watch) {
            watchedSeq = -1;
            watch.notifyAll();
        }
    }

    private void watchLoop() {
        try {
            synchronized (watch) {
                while (true) {
                    if (watchedSeq < 0) {
                        watch.wait();
                        continue;
                    }
                    long seq = watchedSeq;
                    long left = watchedDeadline - System.nanoTime();
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.timedWait(watch, left);
                        continue;
                    }
                    mainThread.interrupt();
                    long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
                    while (watchedSeq == seq && graceEnd - System.nanoTime() > 0) {
                        TimeUnit.NANOSECONDS.timedWait(watch, graceEnd - System.nanoTime());
                    }
                    if (watchedSeq == seq) {
                        killForTimeout(seq);
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            // the worker ends
        }
    }

    /** The task ignored its interrupt: report it and end this worker. */
    private void killForTimeout(long seq) {
        abandoned = true;
        try {
            synchronized (outLock) {
                int s = PoolWire.begin(out, PoolWire.KILLED);
                out.writeLong(seq);
                Codec.writeString(out, "the task ignored its interrupt for " + GRACE_MS + " ms after its timeout; its worker was ended");
                PoolWire.end(out, s);
                flushLocked();
            }
        } catch (IOException e) {
            // the pool is gone
        }
        if (ownJvm) endJvm(PoolWire.EXIT_TASK_TIMEOUT);
        try {
            tx.close();
            rx.close();
        } catch (IOException ignored) {
            // closing is all that is left
        }
    }
}
