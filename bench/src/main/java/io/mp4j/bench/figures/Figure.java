package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.util.List;

/**
 * One group of figures (a {@code suite.py} key such as {@code pipe}, or a Java-only figure), run in a fresh
 * JVM for one start method. Names, units, counts and warm-ups follow {@code ../shared/bench/python/suite.py}.
 */
public interface Figure {
    /** The key ({@code process_start}, ..., or a Java-only key such as {@code shm_floor}). */
    String key();

    /** Whether the Python suite has this key (then it runs beside it). */
    boolean inPythonSuite();

    /** Whether the figure means something under {@code method} (RSS of a thread does not). */
    default boolean appliesTo(String method) { return true; }

    /** Measures, warm-up discarded. Throws {@link NotBuiltException} when its feature does not exist yet. */
    List<Result> run(Context ctx, Params p, String method) throws Exception;

    /** The results it would report, each marked not built, with the reason. */
    List<Result> notBuilt(String why);
}
