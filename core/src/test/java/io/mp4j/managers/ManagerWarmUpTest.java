package io.mp4j.managers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The manager path the child JVMs' ahead-of-time caches are trained with. */
class ManagerWarmUpTest {
    @Test
    void theTrainingServesAManagerInThisJvmAndLeavesNoDirectoryThreadOrConnectionBehind() throws IOException {
        assertThat(new ManagerWarmUp().runOnce()).as("every call of the training answered, and its server stopped").isTrue();

        String prefix = "mp4j-manager-warmup-" + ProcessHandle.current().pid() + "-";
        for (Path root : new Path[]{Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir"))}) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))).as("its directories").isEmpty();
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("mp4j-manager-warmup") && t.isAlive());
    }

    @Test
    void theWorkerTrainsTheCachesWithThisClassByItsName() throws Exception {
        assertThat(io.mp4j.worker.warmup.Stages.TRAINED_UPPER_PATHS).contains(ManagerWarmUp.class.getName());
        var make = Class.forName(ManagerWarmUp.class.getName()).getDeclaredConstructor();
        assertThat(make.newInstance()).isInstanceOf(Runnable.class);
    }
}
