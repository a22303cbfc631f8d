package io.mp4j.bench;

import io.mp4j.Context;
import io.mp4j.bench.figures.Figure;
import io.mp4j.bench.figures.NotBuiltException;

import java.util.List;

/** Figures that fail on purpose, run by {@link JavaSuiteTest} in real figure JVMs. */
public final class TestFigures {
    private TestFigures() {}

    abstract static class Base implements Figure {
        @Override public String key() { return getClass().getName(); }

        @Override public boolean inPythonSuite() { return false; }

        @Override public List<Result> notBuilt(String why) { return List.of(Result.notBuilt("test_figure_ms", "", "ms", "lower", why)); }
    }

    /** Measures two samples. */
    public static final class Works extends Base {
        @Override public List<Result> run(Context ctx, Params p, String method) {
            return List.of(Result.of("test_figure_ms", "", "ms", "lower", List.of(1.0, 3.0)));
        }
    }

    /** Throws. */
    public static final class Throws extends Base {
        @Override public List<Result> run(Context ctx, Params p, String method) {
            throw new IllegalStateException("figure broke on purpose");
        }
    }

    /** Its feature is missing. */
    public static final class Missing extends Base {
        @Override public List<Result> run(Context ctx, Params p, String method) {
            throw new NotBuiltException("Teleporter (issue 99)");
        }
    }

    /** Never ends. */
    public static final class Hangs extends Base {
        @Override public List<Result> run(Context ctx, Params p, String method) throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE); // behaviour: a figure JVM that hangs, for the watchdog to kill
            return List.of();
        }
    }

    /** Dies without writing a result. */
    public static final class Halts extends Base {
        @Override public List<Result> run(Context ctx, Params p, String method) {
            Runtime.getRuntime().halt(3);
            return List.of();
        }
    }
}
