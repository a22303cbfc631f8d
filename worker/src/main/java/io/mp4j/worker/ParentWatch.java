package io.mp4j.worker;

import java.io.IOException;
import java.io.InputStream;

/**
 * Ends this JVM when its parent is gone. The parent holds the write end of this JVM's standard input
 * for its whole life and never writes after the launch message, so end-of-file (or an error) on
 * standard input means the parent died, even by SIGKILL. The JVM then halts at once; its own children
 * see end-of-file on their standard input in turn, so a whole tree goes down.
 */
public final class ParentWatch {
    /** Exit status of a child that ends because its parent died. */
    public static final int PARENT_DIED_EXIT = 70;

    private ParentWatch() {}

    public static void start(InputStream stdin) {
        Thread t = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // nothing is ever sent after the launch message; keep reading until end-of-file
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end-of-file
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(PARENT_DIED_EXIT);
        }, "mp4j-parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
