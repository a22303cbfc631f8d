package io.mp4j.bench;

import java.util.List;

/**
 * One figure (or one variant of a figure) measured for one start method: the raw samples, as suite.py's
 * {@code rec(...)}. A figure whose feature does not exist yet carries {@code notBuilt} instead of samples.
 *
 * @param figure   the figure name, as in the Python suite ({@code pipe_roundtrip_us})
 * @param variant  the variant ({@code map_chunksize1}) or empty
 * @param unit     {@code ms}, {@code us}, {@code tasks/s}, {@code x}, ...
 * @param better   {@code higher} or {@code lower}
 * @param samples  the measurements, warm-up excluded, in measurement order
 * @param notBuilt null when measured; else why it could not be (the feature is not built yet)
 */
public record Result(String figure, String variant, String unit, String better, List<Double> samples, String notBuilt) {
    public Result {
        if (figure == null || figure.isBlank()) throw new IllegalArgumentException("figure must not be blank");
        variant = variant == null ? "" : variant;
        if (!"higher".equals(better) && !"lower".equals(better)) {
            throw new IllegalArgumentException("better must be higher or lower: better=" + better);
        }
        samples = samples == null ? List.of() : List.copyOf(samples);
        if (notBuilt == null && samples.isEmpty()) {
            throw new IllegalArgumentException("a measured figure needs samples: figure=" + figure);
        }
    }

    /** A measured result. */
    public static Result of(String figure, String variant, String unit, String better, List<Double> samples) {
        return new Result(figure, variant, unit, better, samples, null);
    }

    /** A figure that cannot be measured because its feature is not built yet. */
    public static Result notBuilt(String figure, String variant, String unit, String better, String why) {
        return new Result(figure, variant, unit, better, List.of(), why == null ? "not built yet" : why);
    }

    /** {@code figure[.variant]}. */
    public String key() { return variant.isEmpty() ? figure : figure + "." + variant; }

    /** {@code figure[.variant].method}, the name both suites print. */
    public String name(String method) { return key() + "." + method; }

    public boolean measured() { return notBuilt == null; }

    public Stats stats() { return Stats.of(samples); }
}
