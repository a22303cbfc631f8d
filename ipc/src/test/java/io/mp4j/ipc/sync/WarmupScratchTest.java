package io.mp4j.ipc.sync;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Warm-up scratch directories: a dead process's are swept by the next warm-up, a live one's are kept. */
class WarmupScratchTest {
    @TempDir
    Path root;

    @Test
    void shouldSweepTheDirectoriesOfDeadProcessesOnly() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path dead = Files.createDirectory(root.resolve("mp4j-warmup-" + p.pid() + "-123"));
        Files.writeString(dead.resolve("value-1"), "left behind");
        Path live = Files.createDirectory(root.resolve("mp4j-warmup-" + ProcessHandle.current().pid() + "-456"));
        Path other = Files.createDirectory(root.resolve("mp4j-warmup-not-a-pid"));

        Path made = Warmup.scratchDir(root, "mp4j-warmup-");

        assertThat(dead).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(other).isDirectory();
        assertThat(made).isDirectory().isNotEqualTo(live);
        assertThat(made.getFileName().toString()).startsWith("mp4j-warmup-" + ProcessHandle.current().pid() + "-");
    }

    @Test
    void shouldLeaveNothingBehindAfterAWarmUp() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path where = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        String mine = "mp4j-warmup-" + ProcessHandle.current().pid() + "-";
        Warmup.runNow();
        try (var left = Files.newDirectoryStream(where, mine + "*")) {
            assertThat(left).isEmpty();
        }
    }
}
