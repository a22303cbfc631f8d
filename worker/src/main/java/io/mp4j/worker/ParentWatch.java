package io.mp4j.worker;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Ends this JVM when its parent is gone. The parent holds the write end of this JVM's standard input
 * for its whole life and never writes after the launch message, so end-of-file (or an error) on
 * standard input means the parent died, even by SIGKILL. The JVM then halts at once; its own children
 * see end-of-file on their standard input in turn, so a whole tree goes down.
 *
 * <p>The watch reads through an interruptible {@link FileChannel}: a thread blocked in a plain native
 * read makes the JVM's exit wait 300 ms for it, while {@link FastExit} can interrupt this one out of
 * its read first.
 */
public final class ParentWatch {
    /** Exit status of a child that ends because its parent died. */
    public static final int PARENT_DIED_EXIT = 70;

    private ParentWatch() {}

    public static void start() {
        @SuppressWarnings("resource") // standard input stays open for the JVM's life
        FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
        Thread t = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(64);
            try {
                while (stdin.read(b) >= 0) {
                    b.clear(); // nothing is ever sent after the launch message
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end-of-file; an interrupt means this JVM is exiting
            }
            if (FastExit.isExiting()) return;
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(PARENT_DIED_EXIT);
        }, "mp4j-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
