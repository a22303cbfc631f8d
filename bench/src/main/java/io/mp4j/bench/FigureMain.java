package io.mp4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mp4j.Context;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import io.mp4j.bench.figures.Figure;
import io.mp4j.bench.figures.Figures;
import io.mp4j.bench.figures.NotBuiltException;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM that runs figures for one start method: {@code FigureMain KEYS METHOD SCALE WORKERS OUT.json}, KEYS one
 * figure key or several separated by commas (each figure gets a fresh JVM, but a smoke run shares one, see
 * {@link BenchOptions#sharesJvms}). The context's warm JVMs are made ready before each figure starts
 * ({@link Context#awaitReady}). Writes {@code {"figures": {KEY: {"results": [...]} or {"error": "..."}}}} to OUT.json,
 * again after each figure, so that a JVM that dies keeps what it measured; a missing feature gives results
 * marked not built.
 */
public final class FigureMain {
    private FigureMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: FigureMain KEY[,KEY...] METHOD SCALE WORKERS OUT.json");
            System.exit(2);
        }
        String method = args[1];
        double scale = Double.parseDouble(args[2]);
        Params params = Params.of(scale).withWorkers(Arrays.stream(args[3].split(",")).map(String::trim).map(Integer::parseInt).toList());
        if (scale <= BenchOptions.SMOKE_SCALE) params = params.smoke();
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> doc = Map.of("figures", figures);
        int rc = 0;
        Context ctx = Multiprocessing.getContext(StartMethod.parse(method));
        for (String key : args[0].split(",")) {
            long t0 = System.nanoTime();
            Map<String, Object> outcome = new LinkedHashMap<>();
            Figure figure = Figures.get(key);
            try {
                // FORK and FORKSERVER: measure with the context's warm JVMs ready, as in a program that has run
                // for a while (Python's fork server is likewise started before the figures' first process)
                if (!ctx.awaitReady(java.time.Duration.ofSeconds(60))) System.err.println("figure " + key + "/" + method + ": warm JVMs not ready after 60 s");
                outcome.put("results", figure.run(ctx, params, method));
            } catch (NotBuiltException | UnsupportedOperationException e) {
                outcome.put("results", figure.notBuilt(notBuiltReason(e)));
            } catch (Throwable t) {
                StringWriter sw = new StringWriter();
                t.printStackTrace(new PrintWriter(sw));
                System.err.println("figure " + key + "/" + method + " failed: " + sw);
                outcome.put("error", t.toString());
                rc = 1;
            }
            figures.put(key, outcome);
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(new File(args[4]), doc);
            if (args[0].contains(",")) System.out.printf(java.util.Locale.ROOT, "# java %s/%s: %.1fs (in a shared JVM)%n", key, method, (System.nanoTime() - t0) / 1e9);
        }
        System.out.flush();
        System.err.flush();
        System.exit(rc);
    }

    private static String notBuiltReason(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.startsWith("not built yet") ? m : "not built yet: " + m;
    }

    /** What a figure JVM wrote for one figure: its results, or the error it ended with. */
    record Outcome(List<Result> results, String error) {}

    /** Reads what {@link #main} wrote, by figure key (figures it did not reach are absent). */
    static Map<String, Outcome> read(File f) throws Exception {
        Map<String, Outcome> out = new LinkedHashMap<>();
        if (f.length() == 0) return out;
        var tree = new ObjectMapper().readTree(f).get("figures");
        for (var it = tree.fields(); it.hasNext(); ) {
            var e = it.next();
            var v = e.getValue();
            out.put(e.getKey(), v.has("error") ? new Outcome(null, v.get("error").asText())
                    : new Outcome(Arrays.asList(new ObjectMapper().treeToValue(v.get("results"), Result[].class)), null));
        }
        return out;
    }
}
