package io.mp4j.bench;

import java.util.Locale;

/**
 * A target of PERFORMANCE.md for one figure and start method.
 *
 * <p>Ratio targets compare the Java median with the CPython median measured in the same run, as
 * {@code java / python}; {@code pythonMethod} names the Python start method to compare with (null: the
 * row's own). Absolute targets compare the Java median with a number. {@link Kind#EXACT} requires every
 * sample to equal the value (an exactness check such as {@code value_lock_final_exact}).
 *
 * @param kind         the comparison
 * @param value        the bound (a ratio for RATIO_*, a figure value otherwise)
 * @param pythonMethod the Python start method a ratio compares with, or null for the row's own
 * @param minCores     the target holds only on a machine with at least this many cores (1: any)
 * @param note         shown beside the target ("on an idle machine"), or empty
 */
public record Target(Kind kind, double value, String pythonMethod, int minCores, String note) {
    public enum Kind { RATIO_MAX, RATIO_MIN, ABS_MAX, ABS_MIN, EXACT }

    public Target {
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (!(value > 0) && kind != Kind.EXACT) throw new IllegalArgumentException("target value must be positive: value=" + value);
        note = note == null ? "" : note;
    }

    public static Target ratioMax(double r) { return new Target(Kind.RATIO_MAX, r, null, 1, ""); }
    public static Target ratioMin(double r) { return new Target(Kind.RATIO_MIN, r, null, 1, ""); }
    public static Target atMost(double v) { return new Target(Kind.ABS_MAX, v, null, 1, ""); }
    public static Target atLeast(double v) { return new Target(Kind.ABS_MIN, v, null, 1, ""); }
    public static Target exactly(double v) { return new Target(Kind.EXACT, v, null, 1, ""); }

    /** The same target, compared with Python's {@code method} instead of the row's own. */
    public Target vsPython(String method) { return new Target(kind, value, method, minCores, note); }

    public Target onCores(int cores) { return new Target(kind, value, pythonMethod, cores, note); }

    public Target withNote(String n) { return new Target(kind, value, pythonMethod, minCores, n); }

    public boolean isRatio() { return kind == Kind.RATIO_MAX || kind == Kind.RATIO_MIN; }

    /** Whether {@code x} (a ratio for ratio targets, else the Java median) meets the target. */
    public boolean metBy(double x) {
        return switch (kind) {
            case RATIO_MAX, ABS_MAX -> x <= value;
            case RATIO_MIN, ABS_MIN -> x >= value;
            case EXACT -> x == value;
        };
    }

    /** As written in the table: {@code ≤ 0.8× py spawn}, {@code ≥ 1.8}, {@code = 1}. */
    public String describe(String unit) {
        String v = num(value);
        String s = switch (kind) {
            case RATIO_MAX -> "≤ " + v + "× py" + (pythonMethod == null ? "" : " " + pythonMethod);
            case RATIO_MIN -> "≥ " + v + "× py" + (pythonMethod == null ? "" : " " + pythonMethod);
            case ABS_MAX -> "≤ " + v + (unit.isEmpty() || unit.equals("x") ? "" : " " + unit);
            case ABS_MIN -> "≥ " + v + (unit.isEmpty() || unit.equals("x") ? "" : " " + unit);
            case EXACT -> "= " + v;
        };
        if (minCores > 1) s += " (" + minCores + " cores)";
        if (!note.isEmpty()) s += " (" + note + ")";
        return s;
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
