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

    @Test
    void shouldEndQuietlyWhenItsPoolEndedBeforeItJoined(@TempDir Path dir) throws Exception {
        // a slow worker start can find its pool already gone (the parent exited and removed its directory)
        WorkerSettings gone = new WorkerSettings(dir.resolve("pool-1").toString(), 0, 1, "PoolWorker-1", false, 0, 0, new byte[] {0});
        WorkerLoop.run(gone.encode());
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldFailWhenItsQueueIsThereButNotAQueue(@TempDir Path dir) throws Exception {
        Path notAQueue = Files.writeString(dir.resolve("pool-1"), "x");
        WorkerSettings s = new WorkerSettings(notAQueue.toString(), 0, 1, "PoolWorker-1", false, 0, 0, new byte[] {0});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkerLoop.run(s.encode()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(notAQueue.toString());
    }
}
