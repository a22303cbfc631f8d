package io.mp4j.ipc.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the put and get paths on a private scratch queue once per JVM, so that the first real items do not
 * go through the interpreter: a fresh JVM needs some ten thousand calls before Chronicle's append and read
 * paths are compiled, which would otherwise dominate the first hundred thousand items. The scratch queue
 * lives beside the real one and is deleted at once.
 */
final class Warmup {
    static final int ITERATIONS = 10_000;
    private static volatile boolean done;

    private Warmup() {}

    static synchronized void once(Path queueDir) {
        if (done || Boolean.getBoolean("mp4j.queue.noWarmup")) return;
        done = true;
        Path scratch = queueDir.resolveSibling(queueDir.getFileName() + "-warm-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(scratch);
            QueueCore core = QueueCore.create(scratch, Integer.class, QueueLayout.KIND_QUEUE, 1024);
            try {
                for (int i = 0; i < ITERATIONS; i++) {
                    core.put(i, 0);
                    core.get(0);
                }
            } finally {
                core.close();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // only an optimisation
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // the context's directory removal takes what is left
        }
    }
}
