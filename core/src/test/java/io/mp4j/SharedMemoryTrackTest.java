package io.mp4j;

import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.shm.SharedMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Python 3.13's {@code track} option: a block made by a child with {@code track} true goes when the child's
 * context ends; one made with {@code track} false outlives it, found by name, until unlinked. Only JVM children
 * end their own contexts: the three JVM start methods.
 */
class SharedMemoryTrackTest {
    /** In the child: makes a tracked and an untracked block, writes 7 into each, reports the tracked one's file. */
    static void makeBoth(String tracked, String untracked, Queue<String> files) throws Exception {
        Context ctx = Multiprocessing.getContext();
        SharedMemory t = ctx.sharedMemory(tracked, true, 8, true);
        SharedMemory u = ctx.sharedMemory(untracked, true, 8, false);
        t.buf().set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
        u.buf().set(ValueLayout.JAVA_BYTE, 0, (byte) 7);
        files.put(t.handle().path());
        files.put(u.handle().path());
    }

    @ParameterizedTest
    @EnumSource(names = {"FORK", "SPAWN", "FORKSERVER"})
    void shouldKeepAnUntrackedBlockAfterItsCreatorEndsUntilUnlinkedAndRemoveATrackedOne(StartMethod m) throws Exception {
        Context ctx = Multiprocessing.getContext(m);
        String tag = ProcessHandle.current().pid() + "-" + m.pythonName();
        String untracked = "untracked-" + tag;
        Queue<String> files = ctx.queue(String.class);
        MpProcess child = ctx.process(SharedMemoryTrackTest::makeBoth, "tracked-" + tag, untracked, files);
        child.start();
        assertThat(child.join(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitCode()).isZero();
        Path trackedFile = Path.of(files.take());
        Path untrackedFile = Path.of(files.take());
        assertThat(trackedFile).as("a tracked block goes with its creator's context").doesNotExist();
        try (SharedMemory shm = ctx.sharedMemory(untracked, false, 0)) {
            assertThat(shm.buf().get(ValueLayout.JAVA_BYTE, 0)).as("an untracked block outlives its creator").isEqualTo((byte) 7);
            shm.unlink();
        }
        assertThat(untrackedFile).doesNotExist();
        assertThat(Files.exists(SharedMemory.untrackedDir().resolve("shm-" + untracked))).isFalse();
        assertThatThrownBy(() -> ctx.sharedMemory(untracked, false, 0)).isInstanceOf(NoSuchFileException.class);
    }
}
