package io.mp4j;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.queue.Queue;

/** Coordinator programs run in their own JVM by {@link QueueFilesTest}. */
public final class QueueMains {
    private QueueMains() {}

    /** args: exit|kill. Puts and gets through a queue, prints its directory, then exits or waits to be killed. */
    public static final class UseQueue {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
            Queue<Integer> q = ctx.queue(Integer.class);
            q.put(42);
            System.out.println("got " + q.get());
            System.out.println("dir " + ctx.resourceDir());
            System.out.println("analytics.disable=" + System.getProperty("chronicle.analytics.disable"));
            System.out.flush();
            if (a.length > 0 && a[0].equals("kill")) Thread.sleep(120_000); // behaviour: waits to be killed
        }
    }

    /** Makes a queue, re-attaches it from its handle and asks its sizes (marker "attached"), then uses it ("used"). */
    public static final class AttachThenUse {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
            Queue<Integer> q = ctx.queue(Integer.class, 3);
            @SuppressWarnings("unchecked")
            Queue<Integer> other = (Queue<Integer>) Codec.decode(Codec.encode(q, Queue.class), Queue.class);
            System.out.println("sizes " + other.qsize() + " " + other.isEmpty() + " " + other.isFull() + " " + other.maxsize());
            System.out.println("attached");
            System.out.flush();
            other.put(1);
            System.out.println("got " + q.get());
            System.out.println("used");
        }
    }
}
