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
 * JVM touches first; a fault costs 10-13 microseconds on the project's 2-vCPU virtual machine, measured in C, where
 * the kernel fills the same pages in 0.6 each when asked to in one call), and
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

        int size = p.get("pipe_bulk_msg_bytes"), items = p.get("pipe_bulk_items");
        List<Double> tput = new ArrayList<>();
        pipe = ctx.pipe();
        a = pipe.first();
        MpProcess sender = ctx.process(PipeFigure::bulkSender, pipe.second(), size);
        sender.start();
        if (process) pipe.second().close();
        boolean faults = ProcSelfStat.available();
        List<Double> faultsPerMib = new ArrayList<>(), into = new ArrayList<>();
        for (int r = 0; r < 1 + p.get("pipe_bulk_reps"); r++) {
            long f0 = faults ? ProcSelfStat.minorFaults() : 0;
            long t0 = System.nanoTime();
            a.send(items);
            long got = 0;
            for (int k = 0; k < items; k++) got += a.recvBytes().length;
            long dt = System.nanoTime() - t0;
            long f1 = faults ? ProcSelfStat.minorFaults() : 0;
            if (got != (long) size * items) throw new IllegalStateException("received " + got + " bytes, expected " + (long) size * items);
            if (r >= 1) {
                tput.add(got / (1024.0 * 1024.0) / (dt / 1e9));
                faultsPerMib.add((f1 - f0) / (got / (1024.0 * 1024.0)));
            }
        }
        // The same exchange received into one reused array: the connection without the receiving heap
        byte[] buffer = new byte[size];
        for (int r = 0; r < 1 + p.get("pipe_bulk_reps"); r++) {
            long t0 = System.nanoTime();
            a.send(items);
            long got = 0;
            for (int k = 0; k < items; k++) got += a.recvBytesInto(buffer);
            long dt = System.nanoTime() - t0;
            if (got != (long) size * items) throw new IllegalStateException("received " + got + " bytes, expected " + (long) size * items);
            if (r >= 1) into.add(got / (1024.0 * 1024.0) / (dt / 1e9));
        }
        a.send(STOP);
        sender.join();
        a.close();
        List<Result> out = new ArrayList<>(List.of(Result.of("pipe_roundtrip_us", "", "us", "lower", rtt),
                Result.of("pipe_send_bytes_1mib_throughput_mib_per_s", "", "MiB/s", "higher", tput),
                Result.of(INTO, "", "MiB/s", "higher", into)));
        if (faults) out.add(Result.of(FAULTS, "", "faults/MiB", "lower", faultsPerMib));
        return out;
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
