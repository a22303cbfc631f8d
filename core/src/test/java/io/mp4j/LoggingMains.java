package io.mp4j;

import io.mp4j.ipc.queue.Queue;

/** Coordinator mains for {@link LibraryLoggingTest}, run in fresh JVMs with a logging configuration of their own. */
public final class LoggingMains {
    private LoggingMains() {}

    /**
     * Uses a queue here and in a SPAWN child that logs with the Logback configuration file {@code args[0]} (given to
     * it as a JVM option), then prints "done" and the child's exit code.
     */
    public static final class QueueInTwoProcesses {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
            ctx.addJvmOptions("-Dlogback.configurationFile=" + args[0]);
            Queue<Integer> q = ctx.queue(Integer.class);
            q.put(1);
            MpProcess p = ctx.process(LoggingMains::take, q);
            p.start();
            p.join();
            System.out.println("done " + p.exitCode());
        }
    }

    public static void take(Queue<Integer> q) throws InterruptedException {
        q.get();
    }
}
