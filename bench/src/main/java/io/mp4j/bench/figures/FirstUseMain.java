package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.Pool;
import io.mp4j.StartMethod;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;
import io.mp4j.ipc.queue.Queue;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Barrier;

import java.util.List;

/**
 * The small whole programs of {@code first_use_ms}, as {@code ../shared/bench/python/first_use.py}: each a parent
 * that makes one object, starts one child that uses it once, joins and exits. {@link FirstUseFigure} times the
 * whole JVM from outside: {@code FirstUseMain NAME METHOD}. Exit status 0 when the program did what it should,
 * 1 when it did not, 2 on a bad argument.
 */
public final class FirstUseMain {
    private FirstUseMain() {}

    /** The programs, in first_use.py's order. */
    public static final List<String> PROGRAMS = List.of("process", "pipe", "queue", "value_lock", "barrier", "pool");

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !PROGRAMS.contains(args[0])) {
            System.err.println("usage: FirstUseMain " + String.join("|", PROGRAMS) + " fork|spawn|forkserver|thread");
            System.exit(2);
        }
        Context ctx = Multiprocessing.getContext(StartMethod.parse(args[1]));
        boolean ok = switch (args[0]) {
            case "process" -> process(ctx);
            case "pipe" -> pipe(ctx);
            case "queue" -> queue(ctx);
            case "value_lock" -> valueLock(ctx);
            case "barrier" -> barrier(ctx);
            default -> pool(ctx);
        };
        if (!ok) {
            System.err.println("first use " + args[0] + " under " + args[1] + ": wrong result");
            System.exit(1);
        }
    }

    static void noop() {}

    static void pipeChild(Connection conn) throws Exception { conn.send((Integer) conn.recv() + 1); }

    static void queueChild(Queue<Integer> in, Queue<Integer> out) throws InterruptedException { out.put(in.get() + 1); }

    static void valueChild(Value v) {
        v.getLock().lock();
        try {
            v.set(v.getInt() + 1);
        } finally {
            v.getLock().unlock();
        }
    }

    static void barrierChild(Barrier b) throws Exception { b.await(); }

    static Integer square(Integer x) { return x * x; }

    private static boolean process(Context ctx) throws Exception {
        MpProcess p = ctx.process(FirstUseMain::noop);
        p.start();
        p.join();
        return p.exitCode() == 0;
    }

    private static boolean pipe(Context ctx) throws Exception {
        Pipe pipe = ctx.pipe();
        MpProcess p = ctx.process(FirstUseMain::pipeChild, pipe.second());
        p.start();
        pipe.first().send(1);
        boolean ok = Integer.valueOf(2).equals(pipe.first().recv());
        p.join();
        return ok && p.exitCode() == 0;
    }

    private static boolean queue(Context ctx) throws Exception {
        Queue<Integer> in = ctx.queue(Integer.class), out = ctx.queue(Integer.class);
        MpProcess p = ctx.process(FirstUseMain::queueChild, in, out);
        p.start();
        in.put(1);
        boolean ok = out.get() == 2;
        p.join();
        return ok && p.exitCode() == 0;
    }

    private static boolean valueLock(Context ctx) throws Exception {
        Value v = ctx.value('i', 0);
        MpProcess p = ctx.process(FirstUseMain::valueChild, v);
        p.start();
        p.join();
        return v.getInt() == 1 && p.exitCode() == 0;
    }

    private static boolean barrier(Context ctx) throws Exception {
        Barrier b = ctx.barrier(2);
        MpProcess p = ctx.process(FirstUseMain::barrierChild, b);
        p.start();
        b.await();
        p.join();
        return p.exitCode() == 0;
    }

    private static boolean pool(Context ctx) throws Exception {
        try (Pool pl = ctx.pool(2)) {
            return pl.map(FirstUseMain::square, List.of(0, 1, 2, 3, 4, 5, 6, 7)).equals(List.of(0, 1, 4, 9, 16, 25, 36, 49));
        }
    }
}
