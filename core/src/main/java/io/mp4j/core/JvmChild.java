package io.mp4j.core;

import io.mp4j.worker.ExitStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that is this JVM's own child: the standard input pipe is held open for the child's life
 * (closing it tells the child its parent is gone).
 */
public final class JvmChild implements ChildHandle {
    private final Process process;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit;

    /**
     * A handle of a started child JVM.
     *
     * @param process the JVM's process
     */
    public JvmChild(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.exit = new CompletableFuture<>();
        exit.whenComplete((c, e) -> release());
        process.onExit().whenComplete((p, e) -> {
            if (e != null) exit.completeExceptionally(e);
            else finish();
        });
    }

    /** Completes {@link #onExit()} with the exit code (the first of the two waits to see the end does it). */
    private void finish() {
        if (!exit.isDone()) exit.complete(ExitStatus.fromJdk(process.exitValue()));
    }

    /**
     * Waits on the process itself: the JDK's reaper wakes this thread at once, where {@code Process.onExit()}
     * goes through a second watcher thread and a new thread per completion (on 2 cores, where the common pool
     * has one worker): {@code join} returns sooner (docs/journal/2026-11-23-starts-pools-scaling.md#exit-paths).
     */
    @Override
    public void awaitExit() throws InterruptedException {
        process.waitFor();
        finish();
    }

    @Override
    public boolean awaitExit(long nanos) throws InterruptedException {
        if (!process.waitFor(nanos, TimeUnit.NANOSECONDS)) return false;
        finish();
        return true;
    }

    /**
     * The child JVM's process.
     *
     * @return the process
     */
    public Process process() { return process; }

    /**
     * Sends the launch message, as one frame ({@link io.mp4j.ipc.wire.Frames}).
     *
     * @param frame the launch message
     * @throws IOException when the child's standard input is closed
     */
    public void send(byte[] frame) throws IOException { io.mp4j.ipc.wire.Frames.write(stdin, frame); }

    @Override public long pid() { return process.pid(); }

    @Override public CompletableFuture<Integer> onExit() { return exit; }

    // Signal through the handle: Process.destroy() would also close the child's standard input, which
    // the child reads as its parent's death, racing the signal's own exit status.
    @Override public void terminate() { process.toHandle().destroy(); }

    @Override public void kill() { process.toHandle().destroyForcibly(); }

    @Override public void release() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the child is gone; nothing to flush
        }
    }
}
