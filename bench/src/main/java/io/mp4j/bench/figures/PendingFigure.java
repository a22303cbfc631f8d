package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.ArrayList;
import java.util.List;

/**
 * A figure of the Python suite whose feature has not landed on this branch: it reports each of its results
 * as not built yet, naming the missing API, and fails loudly once the API exists (so the figure gets written
 * the day the feature lands instead of staying "not built" by mistake).
 */
final class PendingFigure implements Figure {
    private final String key;
    private final String contextMethod;
    private final String issue;
    private final List<Result> shapes;

    /** {@code shapes}: the results the figure reports (figure, variant, unit, better; samples ignored). */
    PendingFigure(String key, String contextMethod, String issue, List<Result> shapes) {
        this.key = key;
        this.contextMethod = contextMethod;
        this.issue = issue;
        this.shapes = shapes;
    }

    @Override public String key() { return key; }

    @Override public boolean inPythonSuite() { return true; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) {
        for (var m : Context.class.getMethods()) {
            if (m.getName().equals(contextMethod)) {
                throw new IllegalStateException("Context." + contextMethod + " exists now: the " + key + " figure must be written");
            }
        }
        throw new NotBuiltException(issue);
    }

    @Override
    public List<Result> notBuilt(String why) {
        List<Result> out = new ArrayList<>();
        for (Result r : shapes) out.add(Result.notBuilt(r.figure(), r.variant(), r.unit(), r.better(), why));
        return out;
    }

    static Result shape(String figure, String variant, String unit, String better) {
        return Result.notBuilt(figure, variant, unit, better, "");
    }
}
