package io.mp4j.ipc.queue;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks what consumers got: each item {@code producer << 32 | i} exactly once, each producer's items in order. */
public final class DeliveryCheck {
    private DeliveryCheck() {}

    public static void assertExactlyOnceInOrder(List<List<Long>> perConsumer, int producers, int perProducer) {
        boolean[][] seen = new boolean[producers][perProducer];
        long total = 0;
        for (List<Long> got : perConsumer) {
            int[] last = new int[producers];
            java.util.Arrays.fill(last, -1);
            for (long v : got) {
                int p = (int) (v >>> 32), i = (int) v;
                assertThat(p).as("producer of item %x", v).isBetween(0, producers - 1);
                assertThat(seen[p][i]).as("item %d of producer %d got twice", i, p).isFalse();
                seen[p][i] = true;
                assertThat(i).as("producer %d's items out of order in one consumer", p).isGreaterThan(last[p]);
                last[p] = i;
                total++;
            }
        }
        assertThat(total).as("items got").isEqualTo((long) producers * perProducer);
    }
}
