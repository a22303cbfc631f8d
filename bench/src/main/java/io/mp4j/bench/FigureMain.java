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
 * The JVM that runs one figure for one start method (each figure gets a fresh JVM, whose context's warm
 * JVMs are made ready before the figure starts, {@link Context#awaitReady}):
 * {@code FigureMain KEY METHOD SCALE WORKERS OUT.json}. Writes {@code {"results": [...]}} or
 * {@code {"error": "..."}} to OUT.json; a missing feature gives results marked not built.
 */
public final class FigureMain {
    private FigureMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: FigureMain KEY METHOD SCALE WORKERS OUT.json");
            System.exit(2);
        }
        String key = args[0], method = args[1];
        Params params = Params.of(Double.parseDouble(args[2]))
                .withWorkers(Arrays.stream(args[3].split(",")).map(String::trim).map(Integer::parseInt).toList());
        Map<String, Object> doc = new LinkedHashMap<>();
        int rc = 0;
        Figure figure = Figures.get(key);
        try {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(method));
            // FORK and FORKSERVER: measure with the context's warm JVMs ready, as in a program that has run
            // for a while (Python's fork server is likewise started before the figures' first process)
            if (!ctx.awaitReady(java.time.Duration.ofSeconds(60))) System.err.println("figure " + key + "/" + method + ": warm JVMs not ready after 60 s");
            doc.put("results", figure.run(ctx, params, method));
        } catch (NotBuiltException | UnsupportedOperationException e) {
            doc.put("results", figure.notBuilt(notBuiltReason(e)));
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            System.err.println("figure " + key + "/" + method + " failed: " + sw);
            doc.put("error", t.toString());
            rc = 1;
        }
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(new File(args[4]), doc);
        System.out.flush();
        System.err.flush();
        System.exit(rc);
    }

    private static String notBuiltReason(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.startsWith("not built yet") ? m : "not built yet: " + m;
    }

    /** Reads what {@link #main} wrote: the results, or throws with the error. */
    static List<Result> read(File f) throws Exception {
        var tree = new ObjectMapper().readTree(f);
        if (tree.has("error")) throw new IllegalStateException(tree.get("error").asText());
        return Arrays.asList(new ObjectMapper().treeToValue(tree.get("results"), Result[].class));
    }
}
