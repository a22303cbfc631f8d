package io.mp4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary files and directories named {@code mp4j-<pid>-<what>-...}, so that the {@link LeakCheck} can tell
 * this JVM's from those of other test runs on the machine. (JUnit's {@code @TempDir} is fine too: JUnit removes
 * it and fails the test when it cannot.)
 */
public final class TestFiles {
    private TestFiles() {}

    /** The prefix of this JVM's names: {@code mp4j-<pid>-<what>-}. */
    public static String prefix(String what) { return "mp4j-" + ProcessHandle.current().pid() + "-" + what + "-"; }

    /** A new empty file in the temporary directory; the test deletes it. */
    public static Path file(String what, String suffix) {
        try {
            return Files.createTempFile(prefix(what), suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A name for a file in the temporary directory that does not exist yet (a task creates it). */
    public static Path absentFile(String what, String suffix) {
        Path f = file(what, suffix);
        try {
            Files.delete(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    /** A new directory in {@code /dev/shm} (or the temporary directory where there is none); the test deletes it. */
    public static Path shmDir(String what) {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix(what))
                    : Files.createTempDirectory(prefix(what));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code path} and everything under it, if it exists. */
    public static void delete(Path path) {
        if (path == null || !Files.exists(path)) return;
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
