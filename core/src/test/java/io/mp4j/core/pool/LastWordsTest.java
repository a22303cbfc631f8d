package io.mp4j.core.pool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** How the pool tells why a worker ended: its last words when it left some, else where to look. */
class LastWordsTest {
    @Test
    void shouldReadAndRemoveTheWorkersLastWords(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("pool-1-w1");
        Files.writeString(Path.of(base + ".died"), "java.lang.OutOfMemoryError: Java heap space (at X.y(X.java:1))\n");
        assertThat(LastWords.read(base, 1, true)).isEqualTo(": java.lang.OutOfMemoryError: Java heap space (at X.y(X.java:1))");
        assertThat(Path.of(base + ".died")).doesNotExist();
    }

    @Test
    void shouldPointToStandardErrorForAWorkerThatExitedWithOneBeforeItConnected(@TempDir Path dir) {
        Path base = dir.resolve("pool-1-w2");
        assertThat(LastWords.read(base, 1, false)).contains("standard error");
        assertThat(LastWords.read(base, 1, true)).isEmpty();
        assertThat(LastWords.read(base, 7, false)).isEmpty();
    }
}
