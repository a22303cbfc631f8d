package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.codec.Shareable;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code pipe_roundtrip_us}: {@code send(i); recv()} against an echo child on a duplex pipe, 20,000 samples
 * after 1,000 warm-ups; {@code pipe_send_bytes_1mib_throughput_mib_per_s}: the child sends 64 × 1 MiB with
 * {@code sendBytes} per request, the parent {@code recvBytes}; 5 reps after 1 warm-up. The sentinel is -1.
 *
 * <p>The pipe API (issue 5: {@code ctx.pipe()} returning two {@code Connection} ends) is called through
 * method handles until it is on this branch.
 */
public final class PipeFigure implements Figure {
    @Override public String key() { return "pipe"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        if (!Dyn.has(Context.class, "pipe", 0)) throw new NotBuiltException("Pipe (issue 5)");
        List<Double> rtt = new ArrayList<>();
        Object[] ends = ends(Dyn.call(ctx, "pipe"));
        MpProcess echo = ctx.process(PipeFigure::echo, (Shareable) ends[1]);
        echo.start();
        boolean process = ctx.startMethod().isProcess();      // a THREAD child uses this very end: keep it open
        if (process) Dyn.call(ends[1], "close");
        MethodHandle send = Dyn.handle(ends[0], "send", 1), recv = Dyn.handle(ends[0], "recv", 0);
        int warmup = p.get("pipe_warmup");
        for (int i = 0; i < warmup + p.get("pipe_n"); i++) {
            long t0 = System.nanoTime();
            Dyn.invoke1(send, i);
            Object back = Dyn.invoke0(recv);
            long dt = System.nanoTime() - t0;
            if (!Integer.valueOf(i).equals(back)) throw new IllegalStateException("echo returned " + back + " for " + i);
            if (i >= warmup) rtt.add(dt / 1e3);
        }
        Dyn.invoke1(send, -1);
        echo.join();
        Dyn.call(ends[0], "close");

        int size = p.get("pipe_bulk_msg_bytes"), items = p.get("pipe_bulk_items");
        List<Double> tput = new ArrayList<>();
        ends = ends(Dyn.call(ctx, "pipe"));
        MpProcess sender = ctx.process(PipeFigure::bulkSender, (Shareable) ends[1], size);
        sender.start();
        if (process) Dyn.call(ends[1], "close");
        send = Dyn.handle(ends[0], "send", 1);
        MethodHandle recvBytes = Dyn.handle(ends[0], "recvBytes", 0);
        for (int r = 0; r < 1 + p.get("pipe_bulk_reps"); r++) {
            long t0 = System.nanoTime();
            Dyn.invoke1(send, items);
            long got = 0;
            for (int k = 0; k < items; k++) got += ((byte[]) Dyn.invoke0(recvBytes)).length;
            long dt = System.nanoTime() - t0;
            if (got != (long) size * items) throw new IllegalStateException("received " + got + " bytes, expected " + (long) size * items);
            if (r >= 1) tput.add(got / (1024.0 * 1024.0) / (dt / 1e9));
        }
        Dyn.invoke1(send, -1);
        sender.join();
        Dyn.call(ends[0], "close");
        return List.of(Result.of("pipe_roundtrip_us", "", "us", "lower", rtt),
                Result.of("pipe_send_bytes_1mib_throughput_mib_per_s", "", "MiB/s", "higher", tput));
    }

    /** The two ends of what {@code ctx.pipe()} returned (an array, or a record with first()/second()). */
    static Object[] ends(Object pipe) throws Exception {
        if (pipe instanceof Object[] a) return a;
        return new Object[]{Dyn.call(pipe, "first"), Dyn.call(pipe, "second")};
    }

    /** A child: echoes every object back until -1. */
    public static void echo(Shareable conn) throws Exception {
        MethodHandle send = Dyn.handle(conn, "send", 1), recv = Dyn.handle(conn, "recv", 0);
        while (true) {
            Object o = Dyn.invoke0(recv);
            if (Integer.valueOf(-1).equals(o)) break;
            Dyn.invoke1(send, o);
        }
        Dyn.call(conn, "close");
    }

    /** A child: on each request k, sends k messages of {@code size} bytes; stops on -1. */
    public static void bulkSender(Shareable conn, Integer size) throws Exception {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 0x5a);
        MethodHandle recv = Dyn.handle(conn, "recv", 0), sendBytes = Dyn.handle(conn, "sendBytes", 1);
        while (true) {
            Object k = Dyn.invoke0(recv);
            if (Integer.valueOf(-1).equals(k)) break;
            for (int i = 0; i < (Integer) k; i++) Dyn.invoke1(sendBytes, payload);
        }
        Dyn.call(conn, "close");
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("pipe_roundtrip_us", "", "us", "lower", why),
                Result.notBuilt("pipe_send_bytes_1mib_throughput_mib_per_s", "", "MiB/s", "higher", why));
    }
}
