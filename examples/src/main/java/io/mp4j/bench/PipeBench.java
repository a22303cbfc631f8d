package io.mp4j.bench;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pipe figures of CPython's reference suite ({@code ../shared/bench/python}, figure {@code pipe}), with
 * the same parameters, printed in its TSV form ({@code name<TAB>median<TAB>unit<TAB>min<TAB>max<TAB>n}):
 * <ul>
 * <li>{@code pipe_roundtrip_us}: {@code send(i); recv()} against an echo child on a duplex pipe, 20,000
 *     samples after 1,000;</li>
 * <li>{@code pipe_send_bytes_1mib_throughput_mib_per_s}: the child sends 64 x 1 MiB with {@code sendBytes},
 *     the parent {@code recvBytes}, timed from the request to the last byte; 5 reps after 1 warm-up.</li>
 * </ul>
 * Usage: {@code bin/mp4j run io.mp4j.bench.PipeBench [--start-method spawn] [--scale X]}.
 */
public final class PipeBench {
    private PipeBench() {}

    /** Echoes every object back until null arrives. */
    static void echo(Connection conn) throws Exception {
        while (true) {
            Object o = conn.recv();
            if (o == null) break;
            conn.send(o);
        }
        conn.close();
    }

    /** On each request k, sends k messages of {@code size} bytes; stops on null. */
    static void bulkSender(Connection conn, int size) throws Exception {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 0x5a);
        while (true) {
            Object k = conn.recv();
            if (k == null) break;
            for (int i = 0; i < (Integer) k; i++) conn.sendBytes(payload);
        }
        conn.close();
    }

    public static void main(String[] args) throws Exception {
        StartMethod method = StartMethod.SPAWN;
        double scale = 1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--start-method")) method = StartMethod.parse(args[++i]);
            else if (args[i].equals("--scale")) scale = Double.parseDouble(args[++i]);
        }
        Context ctx = Multiprocessing.getContext(method);
        int n = Math.max(2, (int) (20_000 * scale)), warmup = 1_000, size = 1 << 20, items = Math.max(2, (int) (64 * scale)), reps = 5;

        Pipe pipe = ctx.pipe();
        MpProcess p = ctx.process(PipeBench::echo, pipe.second());
        p.start();
        if (method != StartMethod.THREAD) pipe.second().close();
        Connection a = pipe.first();
        double[] rtt = new double[n];
        for (int i = 0; i < warmup + n; i++) {
            long t0 = System.nanoTime();
            a.send(i);
            Object r = a.recv();
            long dt = System.nanoTime() - t0;
            if (!Integer.valueOf(i).equals(r)) throw new IllegalStateException("bad echo: sent " + i + ", got " + r);
            if (i >= warmup) rtt[i - warmup] = dt / 1e3;
        }
        a.send(null);
        p.join();
        a.close();

        pipe = ctx.pipe();
        p = ctx.process(PipeBench::bulkSender, pipe.second(), size);
        p.start();
        if (method != StartMethod.THREAD) pipe.second().close();
        a = pipe.first();
        List<Double> tput = new ArrayList<>();
        for (int i = 0; i < 1 + reps; i++) {
            long t0 = System.nanoTime();
            a.send(items);
            byte[] buf = null;
            for (int k = 0; k < items; k++) buf = a.recvBytes();
            long dt = System.nanoTime() - t0;
            if (buf.length != size) throw new IllegalStateException("short message: " + buf.length);
            if (i >= 1) tput.add((double) items * size / (1 << 20) / (dt / 1e9));
        }
        a.send(null);
        p.join();
        a.close();

        String m = method.pythonName();
        print("pipe_roundtrip_us." + m, rtt, "us");
        print("pipe_send_bytes_1mib_throughput_mib_per_s." + m, tput.stream().mapToDouble(Double::doubleValue).toArray(), "MiB/s");
    }

    private static void print(String name, double[] samples, String unit) {
        double[] s = samples.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        System.out.printf("%s\t%.4g\t%s\t%.4g\t%.4g\t%d%n", name, median, unit, s[0], s[s.length - 1], s.length);
    }
}
