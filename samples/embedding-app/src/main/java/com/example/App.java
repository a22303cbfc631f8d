package com.example;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.Pool;
import io.mp4j.ipc.queue.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** A first application using multiprocessing4j: a pool of child JVMs, and a queue fed by a child process. */
public class App {
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    static int square(int x) {
        return x * x;
    }

    static void produce(Queue<String> queue, int count) throws InterruptedException {
        LOG.info("producing {} items in process {}", count, ProcessHandle.current().pid());
        for (int i = 1; i <= count; i++) queue.put("item-" + i);
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        try (Pool pool = ctx.pool(2)) {
            List<Integer> squares = pool.map(App::square, List.of(1, 2, 3, 4, 5));
            System.out.println("squares " + squares);
        }
        Queue<String> queue = ctx.queue(String.class);
        MpProcess producer = ctx.process(App::produce, queue, 3);
        producer.start();
        for (int i = 0; i < 3; i++) System.out.println("got " + queue.take());
        producer.join();
        System.out.println("producer exit code " + producer.exitCode());
    }
}
