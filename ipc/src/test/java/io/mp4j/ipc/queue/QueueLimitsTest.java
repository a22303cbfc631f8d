package io.mp4j.ipc.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Large items, the size limit, failed puts and closed queues. */
class QueueLimitsTest {
    /** The largest encoded item a put accepts (QueueCore's property). */
    static final String MAX_ITEM_BYTES_PROPERTY = "mp4j.queue.maxItemBytes";

    @TempDir
    static Path dir;

    @Test
    void shouldCarryAnItemOf64MiBBetweenSmallItemsInOrder() throws Exception {
        Queue<byte[]> q = Queue.create(dir, byte[].class, 0);
        byte[] big = new byte[64 << 20];
        for (int i = 0; i < big.length; i += 4096) big[i] = (byte) (i >>> 12);
        big[big.length - 1] = 42;
        q.put(new byte[] {1});
        q.put(big);
        q.put(new byte[] {2});
        assertThat(q.qsize()).isEqualTo(3);
        assertThat(q.get()).containsExactly(1);
        byte[] got = q.get();
        assertThat(got.length).isEqualTo(big.length);
        assertThat(Arrays.equals(got, big)).as("the 64 MiB item's bytes").isTrue();
        assertThat(q.get()).containsExactly(2);
        assertThat(q.poll()).isNull();
        assertThat(itemFiles(q)).as("the large item's file, once got").isEmpty();
    }

    @Test
    void shouldRefuseAnItemOverTheLimitNamingLimitAndSizeAndStoreNothing() throws Exception {
        System.setProperty(MAX_ITEM_BYTES_PROPERTY, Integer.toString(8 << 20));
        try {
            Queue<byte[]> q = Queue.create(dir, byte[].class, 2);
            q.put(new byte[] {1});
            assertThatThrownBy(() -> q.put(new byte[9 << 20]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit=" + (8 << 20))
                    .hasMessageMatching("(?s).*size=9437\\d{3}.*");
            assertThat(q.qsize()).as("nothing stored").isEqualTo(1);
            assertThat(q.remainingCapacity()).as("the slot taken back").isEqualTo(1);
            assertThat(itemFiles(q)).isEmpty();
            q.put(new byte[] {2});
            assertThat(q.get()).containsExactly(1);
            assertThat(q.get()).containsExactly(2);
            assertThat(q.poll()).isNull();
        } finally {
            System.clearProperty(MAX_ITEM_BYTES_PROPERTY);
        }
    }

    @Test
    void shouldThrowFromEverySizeQueryOfAClosedQueueAsGetAndPutDo() {
        Queue<Integer> q = Queue.create(dir, Integer.class, 3);
        q.add(1);
        q.close();
        assertThatThrownBy(q::qsize).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(q::isEmpty).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(q::isFull).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(q::size).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(q::remainingCapacity).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(q.toString()).contains("closed");
        SimpleQueue<Integer> s = SimpleQueue.create(dir, Integer.class);
        s.close();
        assertThatThrownBy(s::isEmpty).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static java.util.List<Path> itemFiles(Queue<?> q) throws java.io.IOException {
        Path items = Path.of(q.handle().dir()).resolve("items");
        if (!Files.isDirectory(items)) return java.util.List.of();
        try (Stream<Path> s = Files.list(items)) {
            return s.toList();
        }
    }
}
