package io.mp4j.ipc.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Queues of Integer and Long store their items as the bare number: every value comes back, to get and to peek. */
class QueueNumberItemsTest {
    @TempDir
    static Path dir;

    @Test
    void shouldReturnEveryIntOfAnIntegerQueueToPeekAndGetFromAnotherQueueObject() throws Exception {
        List<Integer> values = List.of(0, 1, -1, 255, -256, Integer.MIN_VALUE, Integer.MAX_VALUE);
        Queue<Integer> q = Queue.create(dir, Integer.class, 0);
        for (int v : values) q.put(v);
        @SuppressWarnings("unchecked") Queue<Integer> other = (Queue<Integer>) Queue.attach(q.handle());
        try {
            for (int v : values) {
                assertThat(other.peek()).isEqualTo(v);
                assertThat(other.get()).isEqualTo(v);
            }
            assertThat(other.qsize()).isZero();
        } finally {
            other.close();
            q.close();
        }
    }

    @Test
    void shouldReturnEveryLongOfALongQueueAndKeepTaggedNumbersInAnObjectQueue() throws Exception {
        List<Long> values = List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40);
        Queue<Long> longs = Queue.create(dir, Long.class, 0);
        Queue<Object> objects = Queue.create(dir, Object.class, 0);
        try {
            for (long v : values) {
                longs.put(v);
                objects.put(v);
                objects.put((int) v);
            }
            for (long v : values) {
                assertThat(longs.get()).isEqualTo(v);
                assertThat(objects.get()).isEqualTo(v);
                assertThat(objects.get()).isEqualTo((int) v);
            }
        } finally {
            longs.close();
            objects.close();
        }
    }
}
