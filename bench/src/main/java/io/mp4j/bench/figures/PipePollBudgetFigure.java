package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code pipe_poll_budget_us}: how long a receive polls before it blocks, as it adapts to its peer (see the
 * connection's receiver). {@code .idle_peer}: the budget after each of 5 receives whose message comes 20 ms
 * late (it halves down to its floor of 2 µs: target at most 2); {@code .echo_peer}: the budget after each round
 * trip with an echo thread that answers at once (it grows again, up to 64 µs). Between threads of one JVM, so only
 * under {@code thread}. Formerly a unit test pinning the tuning.
 */
public final class PipePollBudgetFigure implements Figure {
    static final String F = "pipe_poll_budget_us";

    @Override public String key() { return "pipe_poll_budget"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override public boolean appliesTo(String method) { return method.equals("thread"); }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        List<Double> idle = new ArrayList<>(), echo = new ArrayList<>();
        try (Pipe pipe = ctx.pipe(true)) {
            Connection a = pipe.first(), b = pipe.second();
            for (int i = 0; i < 5; i++) {
                int n = i;
                CompletableFuture.runAsync(() -> send(a, n), CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                if (!Integer.valueOf(n).equals(b.recv())) throw new IllegalStateException("out of order");
                idle.add(Internals.pollBudgetNanos(b) / 1e3);
            }
            Thread echoer = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    for (Object o; !"stop".equals(o = a.recv()); ) a.send(o);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < p.get("x_poll_budget_n"); i++) {
                b.send(i);
                if (!Integer.valueOf(i).equals(b.recv())) throw new IllegalStateException("out of order");
                echo.add(Internals.pollBudgetNanos(b) / 1e3);
            }
            b.send("stop");
            echoer.join(10_000);
        }
        return List.of(Result.of(F, "idle_peer", "us", "lower", idle), Result.of(F, "echo_peer", "us", "higher", echo));
    }

    private static void send(Connection c, Object o) {
        try {
            c.send(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<Result> notBuilt(String why) {
        return List.of(Result.notBuilt(F, "idle_peer", "us", "lower", why), Result.notBuilt(F, "echo_peer", "us", "higher", why));
    }
}
