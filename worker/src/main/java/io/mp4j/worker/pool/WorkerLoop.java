package io.mp4j.worker.pool;

import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.ipc.ring.WorkConsumer;
import io.mp4j.ipc.ring.WorkProducer;
import io.mp4j.ipc.ring.WorkQueue;
import io.mp4j.ipc.ring.WorkQueueLayout;
import io.mp4j.worker.FastExit;
import io.mp4j.worker.ProcessExit;
import io.mp4j.worker.task.FunctionRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pool worker: it joins its pool's work queue ({@code io.mp4j.ipc.ring}), runs the initializer, says hello, then
 * claims tasks itself, one at a time, runs them ({@link ChunkRunner}) and replies with their results, until the
 * pool closes the queue or its limits say it should retire. The pool is off this path: a worker that finishes a
 * task claims the next one without waiting for the pool. It runs under every start method, as a JVM or (THREAD)
 * as a thread; see {@link PoolMessages} for the messages.
 *
 * <p>Limits: with {@code maxTasks}, a worker claims no task that would take it past that many items; it says it
 * is retiring as soon as it claims its last items (the pool then starts its replacement beside it) and leaves
 * after them. With {@code maxMemory}, it leaves after a task that left its resident memory above the limit.
 * A task with a timeout is watched ({@link TaskWatchdog}): a task that ignores its interrupt ends the worker.
 */
public final class WorkerLoop {
    private final WorkConsumer consumer;
    private final WorkerSettings settings;
    private final ChunkRunner runner;
    private final TaskWatchdog watchdog;
    private final ClassLoader loader = WorkerLoop.class.getClassLoader();
    private final WireBuffer task = new WireBuffer(16);
    private final WireBuffer out = new WireBuffer(1 << 12);
    private final Object replyLock = new Object();
    private volatile boolean abandoned;
    private int budget;

    private WorkerLoop(WorkQueue queue, WorkConsumer consumer, WorkerSettings settings) {
        this.consumer = consumer;
        this.settings = settings;
        this.runner = new ChunkRunner(loader, queue.path());
        this.watchdog = new TaskWatchdog(Thread.currentThread(), this::ignoredInterrupt);
        this.budget = settings.maxTasks() > 0 ? settings.maxTasks() : Integer.MAX_VALUE;
    }

    /**
     * The worker's main, given its settings ({@link WorkerSettings#encode}): serves until the pool closes its queue
     * or the worker retires, then ends (a JVM of its own exits with its status; a THREAD worker returns, or throws
     * {@link ProcessExit} with a status other than 0).
     *
     * @param settingsBytes the worker's settings, encoded
     * @throws Exception what ended the worker: its queue could not be joined, or it died of an error
     * @throws InterruptedException when a THREAD worker is ended by its pool (interrupted while it waits)
     */
    public static void run(byte[] settingsBytes) throws Exception {
        WorkerSettings s = WorkerSettings.decode(settingsBytes);
        int status = 0;
        WorkQueue q;
        try {
            q = WorkQueue.attach(Path.of(s.queue()));
        } catch (IllegalArgumentException e) {
            if (Files.exists(Path.of(s.queue()))) throw e;
            // the pool ended and removed its queue before this worker joined: there is no one to serve or to tell
            if (s.ownJvm()) FastExit.exit(0);
            return;
        }
        try {
            WorkConsumer c = WorkConsumer.join(q, s.consumer(), s.generation(), ProcessHandle.current().pid());
            status = new WorkerLoop(q, c, s).serve();
        } catch (IllegalStateException e) {
            if (q.generation(s.consumer()) == s.generation()) {
                lastWords(WorkerSettings.lastWordsBase(s.queue(), s.consumer(), s.generation()), e);
                throw e;
            }
            // the pool gave this worker up (it was ended, or the pool was terminated): nothing to say to it
        } catch (ProcessExit | InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            // this worker ends with t: leave it where the pool looks when it reports the worker's end
            lastWords(WorkerSettings.lastWordsBase(s.queue(), s.consumer(), s.generation()), t);
            throw t;
        } finally {
            q.close();
        }
        if (s.ownJvm()) FastExit.exit(status);
        // a THREAD worker's status is its thread's exit code: the pool tells an asked-for end from an unasked one by it
        if (status != 0) throw new ProcessExit(status);
    }

    /** Serves; returns the worker's exit status. */
    private int serve() throws Exception {
        if (!initialize()) return 0;
        PoolMessages.writeHello(out, ProcessHandle.current().pid());
        send(out);
        while (true) {
            int signal = consumer.taskSignal();
            long id = consumer.claim(budget);
            if (id == WorkConsumer.REFUSED) return bye("retired: the next task would take it past maxTasksPerChild=" + settings.maxTasks(), 0);
            if (id == WorkConsumer.NONE) {
                if (consumer.closed()) return bye("the pool is closed", 0);
                consumer.state(WorkQueueLayout.IDLE);
                consumer.awaitTasks(signal, -1);
                continue;
            }
            consumer.state(WorkQueueLayout.BUSY);
            int status = runTask(id);
            if (status >= 0) return status;
        }
    }

    /** Runs a claimed task and replies; returns an exit status when the worker must leave after it, else -1. */
    private int runTask(long id) throws Exception {
        task.wrap(consumer.payload(), consumer.payloadLength());
        PoolMessages.TaskHead head;
        try {
            head = PoolMessages.readTaskHead(task);
        } catch (IOException | RuntimeException e) {
            head = new PoolMessages.TaskHead(-1, 0, 0, Math.max(1, consumer.tag()), 0);
            task.position(task.size()); // every item then fails as undecodable
        }
        boolean limited = budget != Integer.MAX_VALUE;
        if (limited) {
            budget -= head.n();
            if (budget == 0) {
                // the replacement starts while this worker runs its last items
                PoolMessages.writeReason(out, PoolMessages.RETIRING, "ran maxTasksPerChild=" + settings.maxTasks() + " items");
                send(out);
            }
        }
        Error fatal = runner.run(id, head, task, out, watchdog);
        if (abandoned) return PoolMessages.EXIT_TASK_TIMEOUT;
        // idle before the results are out: a caller that gets them and submits again finds this worker available
        if (fatal == null && !(limited && budget == 0)) consumer.state(WorkQueueLayout.IDLE);
        send(out);
        if (fatal != null) return bye("ended after " + fatal, PoolMessages.EXIT_TASK_ERROR);
        if (limited && budget == 0) return bye("ran maxTasksPerChild=" + settings.maxTasks() + " items", 0);
        if (settings.maxMemory() > 0) {
            long rss = residentBytes();
            if (rss > settings.maxMemory()) return bye("resident memory " + rss + " bytes is over maxMemoryPerChild=" + settings.maxMemory(), 0);
        }
        return -1;
    }

    /** Runs the initializer, if any; false when it threw (the pool has been told). */
    private boolean initialize() throws Exception {
        byte[] init = settings.initializer();
        WireBuffer b = new WireBuffer(init, init.length);
        if (init.length == 0 || !b.readBoolean()) return true;
        try {
            FunctionRef f = FunctionRef.read(b, loader);
            f.invoke(f.readArgs(b, loader));
            return true;
        } catch (ProcessExit e) {
            throw e;
        } catch (Throwable t) {
            PoolMessages.begin(out, PoolMessages.INIT_FAILED);
            PoolMessages.writeErrorSafely(out, t);
            send(out);
            return false;
        }
    }

    private int bye(String reason, int status) throws InterruptedException {
        PoolMessages.writeReason(out, PoolMessages.BYE, reason);
        send(out);
        consumer.state(WorkQueueLayout.LEFT);
        return status;
    }

    private void send(WireBuffer b) throws InterruptedException {
        synchronized (replyLock) {
            if (!abandoned) consumer.reply(b.array(), 0, b.size());
        }
    }

    /** The watchdog's call: a task ignored its interrupt. Report it and end this worker. */
    private void ignoredInterrupt(long taskId) {
        WireBuffer b = new WireBuffer(256);
        PoolMessages.writeReason(b, PoolMessages.KILLED, "");
        b.setSize(1);
        b.writeLong(taskId);
        try {
            io.mp4j.ipc.codec.Codec.writeString(b, "the task ignored its interrupt for " + TaskWatchdog.GRACE_MS + " ms after its timeout; its worker was ended");
            synchronized (replyLock) {
                consumer.reply(b.array(), 0, b.size());
                abandoned = true;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            abandoned = true; // the pool is gone or gave us up
        }
        if (settings.ownJvm()) FastExit.exit(PoolMessages.EXIT_TASK_TIMEOUT);
    }

    /** This process's resident memory, from {@code /proc/self/statm} (pages), or 0 where it cannot be read. */
    static long residentBytes() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(f[1]) * 4096L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ warm-up

    /** The task of {@link #warmUp}. */
    @FunctionalInterface
    interface WarmFn extends java.io.Serializable { Integer apply(Integer x); }

    static Integer warmTask(Integer x) { return x + 1; }

    /**
     * Runs a worker's whole path in this JVM on a scratch work queue: join, hello, 200 tasks of 4 items, the queue
     * closed, bye. For warm standby JVMs, whose first pool task would otherwise wait for this JVM to load and
     * interpret it all. The queue's file is removed as soon as it is mapped.
     *
     * @throws Exception when the scratch queue cannot be made or a step fails
     */
    public static void warmUp() throws Exception {
        Path dir = io.mp4j.ipc.sync.Warmup.scratchDir(
                io.mp4j.ipc.sync.Warmup.scratchRoot(Path.of(System.getProperty("java.io.tmpdir"))), "mp4j-pool-warmup-");
        try (WorkQueue q = WorkQueue.create(dir.resolve("q"), 1 << 16, 1, 1 << 16)) {
            q.unlink();
            WorkProducer p = new WorkProducer(q);
            int generation = p.open(0);
            FunctionRef f = FunctionRef.of((WarmFn) WorkerLoop::warmTask);
            WireBuffer fb = new WireBuffer(128);
            f.write(fb);
            byte[] fn = fb.copy(0, fb.size());
            WireBuffer head = new WireBuffer(256), args = new WireBuffer(64);
            for (int t = 1; t <= 200; t++) {
                head.clear();
                args.clear();
                PoolMessages.writeTaskHead(head, 1, fn, 4, 0);
                for (int k = 0; k < 4; k++) f.writeArgs(args, new Object[]{t + k});
                if (p.publish(t, 4, head.array(), head.size(), args.array(), 0, args.size()) < 0) break;
            }
            p.close();
            WorkConsumer c = WorkConsumer.join(q, 0, generation, ProcessHandle.current().pid());
            WorkerSettings s = new WorkerSettings(q.path().toString(), 0, generation, "warm-up", false, 0, 0, new byte[0]);
            new WorkerLoop(q, c, s).serve();
            new io.mp4j.ipc.ring.ReplyReader(q).drain(0, (who, b, n) -> { });
        } finally {
            io.mp4j.ipc.sync.Warmup.deleteTree(dir);
        }
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
}
