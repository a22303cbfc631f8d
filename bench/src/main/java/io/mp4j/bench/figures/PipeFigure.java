package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code pipe_roundtrip_us}: {@code send(i); recv()} against an echo child on a duplex pipe, 20,000 samples
 * after 1,000 warm-ups; {@code pipe_send_bytes_1mib_throughput_mib_per_s}: the child sends 64 × 1 MiB with
 * {@code sendBytes} per request, the parent {@code recvBytes}; 5 reps after 1 warm-up. The sentinel is -1.
 *
 * <p>Two rows of Java's own, without a target, say what bounds the 1 MiB row: {@value #FAULTS}, the minor page
 * faults the receiving JVM took per MiB in each of its repetitions (each fresh 1 MiB array is 256 pages that the
 * JVM touches first, and a fault is costly on a virtual machine: docs/journal/2026-12-04-pipe-fresh-pages.md), and
 * {@value #INTO}, the same exchange received with {@code recvBytesInto} into one array (no fresh memory).
 */
public final class PipeFigure implements Figure {
    private static final Integer STOP = -1;
    /** Java only, no target: the 1 MiB exchange received with {@code recvBytesInto} one reused array. */
    static final String INTO = "pipe_recv_bytes_into_1mib_throughput_mib_per_s";
    /** Java only, no target: minor page faults of the receiving JVM per MiB received, in each repetition of the 1 MiB row. */
    static final String FAULTS = "pipe_send_bytes_1mib_page_faults_per_mib";

    @Override public String key() { return "pipe"; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        boolean process = ctx.startMethod().isProcess();      // a THREAD child uses this very end: keep it open
        List<Double> rtt = new ArrayList<>();
        Pipe pipe = ctx.pipe();
        Connection a = pipe.first();
        MpProcess echo = ctx.process(PipeFigure::echo, pipe.second());
        echo.start();
        if (process) pipe.second().close();
        int warmup = p.get("pipe_warmup");
        for (int i = 0; i < warmup + p.get("pipe_n"); i++) {
            long t0 = System.nanoTime();
            a.send(i);
            Object back = a.recv();
            long dt = System.nanoTime() - t0;
            if (!Integer.valueOf(i).equals(back)) throw new IllegalStateException("echo returned " + back + " for " + i);
            if (i >= warmup) rtt.add(dt / 1e3);
        }
        a.send(STOP);
        echo.join();
        a.close();

        int size = p.get("pipe_bulk_msg_bytes"), items = p.get("pipe_bulk_items"), reps = p.get("pipe_bulk_reps");
        pipe = ctx.pipe();
        Connection bulk = pipe.first();
        MpProcess sender = ctx.process(PipeFigure::bulkSender, pipe.second(), size);
        sender.start();
        if (process) pipe.second().close();
        List<Double> faultsPerMib = ProcSelfStat.available() ? new ArrayList<>() : null;
        List<Double> tput = bulkRates(bulk, items, size, reps, () -> bulk.recvBytes().length, faultsPerMib);
        // The same exchange received into one reused array: the connection without the receiving heap
        byte[] buffer = new byte[size];
        List<Double> into = bulkRates(bulk, items, size, reps, () -> bulk.recvBytesInto(buffer), null);
        bulk.send(STOP);
        sender.join();
        bulk.close();
        List<Result> out = new ArrayList<>(List.of(Result.of("pipe_roundtrip_us", "", "us", "lower", rtt),
                Result.of("pipe_send_bytes_1mib_throughput_mib_per_s", "", "MiB/s", "higher", tput),
                Result.of(INTO, "", "MiB/s", "higher", into)));
        if (faultsPerMib != null) out.add(Result.of(FAULTS, "", "faults/MiB", "lower", faultsPerMib));
        return out;
    }

    /** One receive of the bulk exchange: the length of the message received. */
    @FunctionalInterface
    private interface BulkReceive {
        int next() throws Exception;
    }

    /**
     * MiB/s of each of {@code reps} repetitions after a warm-up: {@code items} messages of {@code size} bytes
     * asked of the sender, then received with {@code receive}; the minor page faults per MiB of each repetition
     * go to {@code faultsPerMib} unless it is null.
     */
    private static List<Double> bulkRates(Connection a, int items, int size, int reps, BulkReceive receive,
                                          List<Double> faultsPerMib) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < 1 + reps; r++) {
            long f0 = faultsPerMib != null ? ProcSelfStat.minorFaults() : 0;
            long t0 = System.nanoTime();
            a.send(items);
            long got = 0;
            for (int k = 0; k < items; k++) got += receive.next();
            long dt = System.nanoTime() - t0;
            long f1 = faultsPerMib != null ? ProcSelfStat.minorFaults() : 0;
            if (got != (long) size * items) throw new IllegalStateException("received " + got + " bytes, expected " + (long) size * items);
            if (r == 0) continue;
            double mib = got / (1024.0 * 1024.0);
            rates.add(mib / (dt / 1e9));
            if (faultsPerMib != null) faultsPerMib.add((f1 - f0) / mib);
        }
        return rates;
    }

    /** A child: echoes every object back until -1 (workers.py's {@code pipe_echo}). */
    public static void echo(Connection conn) throws Exception {
        while (true) {
            Object o = conn.recv();
            if (STOP.equals(o)) break;
            conn.send(o);
        }
        conn.close();
    }

    /** A child: on each request k, sends k messages of {@code size} bytes; stops on -1 (workers.py's {@code pipe_bulk_sender}). */
    public static void bulkSender(Connection conn, Integer size) throws Exception {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 0x5a);
        while (true) {
            Object k = conn.recv();
            if (STOP.equals(k)) break;
            for (int i = 0; i < (Integer) k; i++) conn.sendBytes(payload);
        }
        conn.close();
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt("pipe_roundtrip_us", "", "us", "lower", why),
                Result.notBuilt("pipe_send_bytes_1mib_throughput_mib_per_s", "", "MiB/s", "higher", why),
                Result.notBuilt(INTO, "", "MiB/s", "higher", why));
    }
}
