package io.mp4j;

import io.mp4j.ipc.queue.Queue;

/**
 * Coordinators run without the library's JVM options by {@link RequiredJvmOptionsTest}. args: {@code queue} (a
 * consumer child waits for what the parent puts: without the options this used to hang for good) or {@code lock}.
 */
public final class MissingOptionsMain {
    private MissingOptionsMain() {}

    static void consume(Queue<Object> q) throws InterruptedException {
        System.out.println("got " + q.take());
    }

    public static void main(String[] a) throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
        if (a[0].equals("lock")) {
            ctx.lock().lock();
            System.out.println("locked");
            return;
        }
        Queue<Object> q = ctx.queue();
        MpProcess consumer = ctx.process(MissingOptionsMain::consume, q);
        consumer.start();
        q.put("item");
        consumer.join();
        System.out.println("joined");
    }
}
