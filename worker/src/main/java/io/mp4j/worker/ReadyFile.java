package io.mp4j.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a standby JVM tells its parent (the coordinator, or the fork server) that it is warm: it creates
 * this file, named on its command line ({@link #argument}); the parent hands a task only to a standby whose
 * file exists, and deletes the file when it takes that standby or finds it dead. The file lives in a private
 * directory of the parent (removed with it).
 *
 * @param path the file
 */
public record ReadyFile(Path path) {
    /** The child's command-line argument that names its ready file. */
    public static final String ARG = "--ready=";

    /**
     * A new, not yet existing, ready file in {@code dir}.
     *
     * @param dir the directory
     * @param prefix the file name's prefix
     * @return the ready file
     */
    public static ReadyFile in(Path dir, String prefix) {
        return new ReadyFile(dir.resolve(prefix + System.nanoTime() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".ready"));
    }

    /**
     * {@code --ready=PATH}, for the standby's command line.
     *
     * @return the argument
     */
    public String argument() { return ARG + path; }

    /**
     * Whether the standby has signalled that it is warm.
     *
     * @return whether the file exists
     */
    public boolean isSignalled() { return Files.exists(path); }

    /** Deletes the file (the standby is taken, dead, or released). */
    public void forget() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // in the parent's private directory, removed with it
        }
    }

    /** The standby's side: creates the file. */
    void signal() {
        try {
            Files.createFile(path);
        } catch (NoSuchFileException e) {
            // the parent's directory is gone: it is exiting, and so will this JVM
        } catch (IOException e) {
            // the parent then never sees this JVM as warm
            System.err.println("mp4j child: cannot signal readiness at " + path + ": " + e);
        }
    }
}
