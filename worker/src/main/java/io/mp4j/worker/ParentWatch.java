package io.mp4j.worker;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.nio.channels.FileChannel;

/**
 * Ends this JVM when its parent is gone. The parent holds the write end of this JVM's standard input
 * for its whole life and never writes after the launch message, so end-of-file (or an error) on
 * standard input means the parent died, even by SIGKILL. The JVM then halts at once; its own children
 * see end-of-file on their standard input in turn, so a whole tree goes down.
 *
 * <p>The watch reads through an interruptible {@link FileChannel}: a thread blocked in a plain native
 * read makes the JVM's exit wait for it, for a long while, while {@link FastExit} can interrupt this one out
 * of its read first.
 */
public final class ParentWatch {
    /** Exit status of a child that ends because its parent died. */
    public static final int PARENT_DIED_EXIT = 70;

    private static final CompletableFuture<byte[]> LAUNCH = new CompletableFuture<>();

    private ParentWatch() {}

    /**
     * Starts the watch thread. It first reads the launch message ({@code int length}, then the bytes) and
     * hands it to {@link #awaitLaunch}, then waits for end-of-file. Started before a warm JVM's warm-up,
     * so that neither the thread nor the channel costs anything once the task arrives. End-of-file before
     * the message (a standby JVM whose parent went away) ends the JVM with status 0. A {@code standby}'s other
     * threads warm up at the lowest priority until the message arrives ({@link WarmUpPriority}).
     *
     * @param standby whether this JVM is a standby (it lowers its other threads' priority meanwhile)
     */
    public static void start(boolean standby) {
        @SuppressWarnings("resource") // standard input stays open for the JVM's life
        FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
        Thread t = new Thread(new Watch(stdin, standby), "mp4j-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The watch thread's body: a class rather than a lambda, whose first use would make a fresh JVM spin a
     * class and method handles on every child's start path.
     */
    private static final class Watch implements Runnable {
        private final FileChannel stdin;
        private final boolean standby;

        Watch(FileChannel stdin, boolean standby) {
            this.stdin = stdin;
            this.standby = standby;
        }

        @Override
        public void run() {
            // a standby warms up on spare CPU only; this thread keeps its priority, to take the task at once
            if (standby) WarmUpPriority.lowerOthers();
            try {
                byte[] frame = io.mp4j.ipc.wire.Frames.read(stdin, Integer.MAX_VALUE);
                if (frame == null) Runtime.getRuntime().halt(0); // the parent went before it sent anything
                // a standby's task thread first, at once; the others while the task starts
                if (standby) WarmUpPriority.restoreTaskThread();
                LAUNCH.complete(frame);
                if (standby) WarmUpPriority.restore();
                ByteBuffer b = ByteBuffer.allocate(64);
                while (stdin.read(b) >= 0) {
                    b.clear(); // nothing is ever sent after the launch message
                }
            } catch (IOException e) {
                // a broken pipe means the same as end-of-file; an interrupt means this JVM is exiting
                if (!LAUNCH.isDone()) {
                    LAUNCH.completeExceptionally(e);
                    return;
                }
            }
            if (!FastExit.claimExit()) return; // this JVM is ending already (FastExit interrupted us)
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(PARENT_DIED_EXIT);
        }
    }

    /**
     * Whether the launch message has arrived (or failed to).
     *
     * @return whether it has arrived
     */
    public static boolean launchArrived() { return LAUNCH.isDone(); }

    /**
     * The launch message read by the watch thread (waits for it).
     *
     * @return the message
     * @throws IOException when standard input ended before the message, or could not be read
     */
    public static byte[] awaitLaunch() throws IOException {
        try {
            return LAUNCH.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw e;
        }
    }
}
