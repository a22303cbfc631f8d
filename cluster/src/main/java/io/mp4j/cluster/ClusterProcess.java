package io.mp4j.cluster;

import io.mp4j.BaseProcess;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.worker.task.FunctionRef;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.lang.IgniteFutureCancelledException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A process on a cluster: its target runs as one compute job on a server node (chosen round robin at
 * {@link #start()}), in a thread of that node's JVM, without failover.
 *
 * <ul>
 *   <li>{@link #pid()} is the pid of the node's JVM (on that node's machine), known from {@code start()}.</li>
 *   <li>Exit codes: 0 on return, 1 after an uncaught exception (printed on the node's standard error as
 *       {@code Process <name>:} and the trace), {@code -15} after {@link #terminate()} and {@code -9} after
 *       {@link #kill()} (both interrupt the target's thread: a target that ignores interrupts runs on, while the
 *       process counts as ended), {@code -9} when its node died or left the cluster.</li>
 *   <li>A target must not end its JVM ({@code System.exit}, {@code Multiprocessing.exit}): the node would go with it.</li>
 *   <li>What it prints goes to the node's standard output (a {@link LocalCluster} copies it to this JVM's).</li>
 * </ul>
 */
public final class ClusterProcess implements BaseProcess {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final ClusterContext ctx;
    private final FunctionRef function;
    private final Object[] args;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Object lock = new Object();
    private String name = "Process-cluster-" + COUNTER.incrementAndGet();
    private boolean daemon;
    private volatile boolean started, closed;
    private volatile IgniteFuture<Integer> future;
    private volatile Long pid;
    private volatile int endCode = -15;

    ClusterProcess(ClusterContext ctx, Serializable target, Object[] args) {
        this.ctx = ctx;
        this.function = FunctionRef.of(target);
        this.args = args.clone();
        function.checkArgs(this.args);
    }

    @Override public String getName() { return name; }

    @Override public ClusterProcess setName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name must not be empty: name=" + name);
        synchronized (lock) {
            checkNew("setName");
            this.name = name;
        }
        return this;
    }

    @Override public boolean isDaemon() { return daemon; }

    @Override public ClusterProcess setDaemon(boolean daemon) {
        synchronized (lock) {
            checkNew("setDaemon");
            this.daemon = daemon;
        }
        return this;
    }

    /** Encodes the target and its arguments (failing here for what cannot travel) and sends it to a node. */
    @Override public void start() {
        synchronized (lock) {
            checkNew("start");
            for (int i = 0; i < args.length; i++) checkTravels(args[i], "argument " + i);
            for (Object c : function.capturedValues()) checkTravels(c, "a captured value");
            byte[] bytes = encode();
            Ignite ig = ctx.ignite();
            ClusterNode node = ctx.nextServer();
            pid = ClusterContext.pidOf(node);
            IgniteFuture<Integer> f = ig.compute(ig.cluster().forNode(node)).withNoFailover().callAsync(new ProcessJob(name, bytes));
            future = f;
            started = true;
            ctx.started(this);
            f.listen(done -> {
                int code;
                try {
                    code = done.get();
                } catch (IgniteFutureCancelledException e) {
                    code = endCode;
                } catch (RuntimeException e) {
                    code = -9; // its node died or left: as if killed
                }
                exit.complete(code);
            });
        }
    }

    private void checkTravels(Object v, String what) {
        if (v instanceof Shareable && !v.getClass().getPackageName().equals(ClusterProcess.class.getPackageName())) {
            throw new IllegalArgumentException(what + " of process " + name + " (" + v.getClass().getName() + ") belongs to a local"
                    + " context and cannot be used on a cluster node: make it with the ClusterContext");
        }
    }

    private byte[] encode() {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            function.write(out);
            function.writeArgs(out, args);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the target of process " + name + " cannot travel: " + e.getMessage(), e);
        }
        byte[] b = bos.toByteArray();
        try {
            // decode here too: what a node could not decode fails now, in the caller
            Codec.checkOnly(() -> {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
                return FunctionRef.read(in, getClass().getClassLoader()).readArgs(in, getClass().getClassLoader());
            });
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the target of process " + name + " cannot travel: " + e.getMessage(), e);
        }
        return b;
    }

    @Override public void join() throws InterruptedException {
        started("join");
        try {
            exit.get();
        } catch (ExecutionException e) {
            // completed normally always
        }
    }

    @Override public boolean join(long timeout, TimeUnit unit) throws InterruptedException {
        started("join");
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override public CompletableFuture<Integer> onExit() {
        started("onExit");
        return exit.copy();
    }

    @Override public boolean isAlive() { return started && !exit.isDone(); }

    @Override public Long pid() { return pid; }

    @Override public Integer exitCode() { return exit.getNow(null); }

    @Override public void terminate() { end(-15, "terminate"); }

    @Override public void kill() { end(-9, "kill"); }

    private void end(int code, String op) {
        started(op);
        endCode = code;
        IgniteFuture<Integer> f = future;
        if (f != null && !f.isDone()) f.cancel();
    }

    @Override public void close() {
        synchronized (lock) {
            if (isAlive()) throw new IllegalStateException("cannot close process " + name + " while it is still running: pid=" + pid);
            closed = true;
        }
    }

    private void started(String op) {
        if (!started) throw new IllegalStateException("cannot " + op + " process " + name + ": it was not started");
    }

    private void checkNew(String op) {
        if (closed) throw new IllegalStateException("cannot " + op + " process " + name + ": it is closed");
        if (started) throw new IllegalStateException("cannot " + op + " process " + name + ": it was already started (pid=" + pid + ")");
    }

    @Override public String toString() {
        Integer code = exitCode();
        String st = !started ? "initial" : code == null ? "started" : "stopped exitcode=" + code;
        return "<ClusterProcess name='" + name + "' " + (pid == null ? "" : "node pid=" + pid + " ") + st + (daemon ? " daemon>" : ">");
    }
}
