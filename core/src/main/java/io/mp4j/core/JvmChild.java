package io.mp4j.core;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A child JVM that is this JVM's own child: the standard input pipe is held open for the child's life
 * (closing it tells the child its parent is gone).
 */
public final class JvmChild implements ChildHandle {
    private final Process process;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit;

    public JvmChild(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.exit = process.onExit().thenApply(p -> ChildHandle.pythonExitCode(p.exitValue()));
        exit.whenComplete((c, e) -> release());
    }

    public Process process() { return process; }

    /** Sends the launch message: {@code int length} then the bytes. */
    public void send(byte[] frame) throws IOException {
        byte[] header = {(byte) (frame.length >>> 24), (byte) (frame.length >>> 16), (byte) (frame.length >>> 8), (byte) frame.length};
        stdin.write(header);
        stdin.write(frame);
        stdin.flush();
    }

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
