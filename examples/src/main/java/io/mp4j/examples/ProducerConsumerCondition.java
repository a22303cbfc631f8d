package io.mp4j.examples;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.shm.Array;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Condition;

/**
 * A producer process and a consumer process share a buffer guarded by a Condition: the consumer waits while
 * the buffer is empty and the producer notifies it after adding (GeeksforGeeks-style "Condition" tutorial).
 * The original runs forever with random sleeps; this port runs five items in lock step (the producer adds
 * once the consumer waits), so that the output is the same on every run and no item is lost or duplicated.
 */
@Example(name = "producer-consumer-condition", description = "a consumer waits on a Condition until a producer adds to a shared buffer; five items, none lost")
public final class ProducerConsumerCondition {
    private ProducerConsumerCondition() {}

    static final int ITEMS = 5;

    /** buffer: [0] = number of items, [1..] = the items. */
    static void consumer(Condition condition, Array buffer, Value consumerWaiting) throws InterruptedException {
        for (int k = 0; k < ITEMS; k++) {
            condition.acquire();
            try {
                if (buffer.getInt(0) == 0) {
                    System.out.println("Nothing in buffer, consumer is waiting");
                    System.out.flush();
                    consumerWaiting.set(true);
                    condition.signalAll();
                    while (buffer.getInt(0) == 0) condition.await();
                    System.out.println("Producer added something to buffer and notified the consumer");
                }
                int num = buffer.getInt(1);
                int n = buffer.getInt(0);
                for (int i = 1; i < n; i++) buffer.set(i, buffer.getInt(i + 1));
                buffer.set(0, n - 1);
                System.out.println("Consumed " + num);
                System.out.flush();
            } finally {
                condition.release();
            }
        }
    }

    static void producer(Condition condition, Array buffer, Value consumerWaiting) throws InterruptedException {
        for (int num = 0; num < ITEMS; num++) {
            condition.acquire();
            try {
                condition.waitFor(consumerWaiting::getBoolean);
                consumerWaiting.set(false);
                int n = buffer.getInt(0);
                buffer.set(n + 1, num);
                buffer.set(0, n + 1);
                System.out.println("Produced " + num);
                System.out.flush();
                condition.signal();
            } finally {
                condition.release();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        Condition condition = ctx.condition();
        Array buffer = ctx.array('i', ITEMS + 1, false);
        Value consumerWaiting = ctx.value('?', false, false);
        MpProcess p = Multiprocessing.process(ProducerConsumerCondition::producer, condition, buffer, consumerWaiting);
        MpProcess c = Multiprocessing.process(ProducerConsumerCondition::consumer, condition, buffer, consumerWaiting);
        p.start();
        c.start();
        p.join();
        c.join();
    }
}
