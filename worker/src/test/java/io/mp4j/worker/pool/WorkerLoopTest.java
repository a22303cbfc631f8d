package io.mp4j.worker.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A worker's own failures: what it leaves for the pool when it ends with an error. */
class WorkerLoopTest {
    private static void allocateTooMuch() {
        throw new OutOfMemoryError("Java heap space");
    }

    @Test
    void shouldLeaveItsLastWordsWhereThePoolLooksWhenAnErrorEndsIt(@TempDir Path dir) throws Exception {
        String base = WorkerSettings.lastWordsBase(dir.resolve("pool-1").toString(), 0, 1);
        Throwable error;
        try {
            allocateTooMuch();
            throw new AssertionError("unreachable");
        } catch (OutOfMemoryError e) {
            error = e;
        }
        WorkerLoop.lastWords(base, error);
        assertThat(Files.readString(Path.of(base + ".died"))).startsWith("java.lang.OutOfMemoryError").contains("(at ");
    }
}
