package io.mp4j.examples;

import io.mp4j.BaseContext;
import io.mp4j.BaseProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.shared.MpQueue;

/**
 * A parent and a child share one queue: the parent puts 5, the child reads it and puts the squares of
 * 1..5, and the parent prints what is left in the queue after the child ends. Written against {@link BaseContext}:
 * {@code bin/mp4j example queue-squares --cluster} runs it on a local cluster.
 */
@Example(name = "queue-squares", description = "the child reads 5 from a queue and puts 1, 4, 9, 16, 25 back; the parent prints them")
public final class QueueSquares {
    private QueueSquares() {}

    static void func(MpQueue<Integer> queue) throws InterruptedException {
        int value = queue.get();
        for (int i = 1; i <= value; i++) queue.put(i * i);
    }

    public static void main(String[] args) throws Exception { run(Multiprocessing.getContext()); }

    /** The example on {@code ctx}'s processes and queue. */
    public static void run(BaseContext ctx) throws Exception {
        MpQueue<Integer> q = ctx.queue(Integer.class);
        BaseProcess child = ctx.process(QueueSquares::func, q);
        q.put(5);
        child.start();
        child.join();
        while (!q.isEmpty()) System.out.println(q.get());
    }
}
