package io.mp4j.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny process that removes one private directory when the JVM that started it ends, however it ends
 * (normal exit, exception, SIGKILL). It is a POSIX shell blocked reading its standard input, whose write
 * end only the starting JVM holds: end-of-file means that JVM is gone, and the shell then deletes the
 * directory. It ignores SIGINT/SIGTERM/SIGHUP so that a Ctrl-C sent to the whole process group still
 * leaves it to clean up. A shell, not a JVM, so that it is cheap to start and to keep.
 */
public final class ResourceTracker {
    private static final String SCRIPT = "trap '' INT TERM HUP; while read -r _; do :; done; rm -rf -- \"$0\"";

    private final Process process;
    private final OutputStream pipe;

    private ResourceTracker(Process process) {
        this.process = process;
        this.pipe = process.getOutputStream();
    }

    /**
     * Starts a tracker that will remove {@code dir} (recursively) when this JVM ends.
     *
     * @param dir the directory to remove
     * @return the tracker, running
     * @throws IOException when the shell cannot be started
     */
    public static ResourceTracker start(Path dir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", SCRIPT, dir.toAbsolutePath().toString()));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ResourceTracker(pb.start());
    }

    /**
     * The tracker's pid.
     *
     * @return the pid
     */
    public long pid() { return process.pid(); }

    /** Removes the directory now and waits for the tracker to finish (an orderly close). */
    public void closeAndWait() {
        try {
            pipe.close();
            process.waitFor();
        } catch (IOException ignored) {
            // already gone: it has done its work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
