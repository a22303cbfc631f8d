package io.mp4j.bench;

/**
 * One line of the table: a figure key under one start method, Java beside Python.
 *
 * @param key          {@code figure[.variant]}
 * @param method       the start method (Python name; {@code thread} has no Python counterpart)
 * @param unit         the figure's unit
 * @param better       {@code higher} or {@code lower}
 * @param java         the Java statistics, or null when not measured
 * @param javaNote     why Java has no figure ("not built yet: ..."), or null
 * @param python       the Python statistics the ratio uses, or null
 * @param pythonMethod the Python start method of {@code python} (differs from {@code method} when the target says so)
 * @param ratio        java median / python median, or null
 * @param target       the target, or null
 * @param status       whether the target is met, or why that cannot be said
 */
public record Row(String key, String method, String unit, String better, Stats java, String javaNote,
                  Stats python, String pythonMethod, Double ratio, Target target, Status status) {

    public enum Status {
        MET("met"), NOT_MET("NOT met"), NO_TARGET("—"), NOT_BUILT("not built yet"), NO_PYTHON("no Python figure"),
        NOT_RUN("Java not run"), FAILED("failed"), NEEDS_CORES("n/a: fewer cores");

        private final String text;

        Status(String text) { this.text = text; }

        public String text() { return text; }
    }

    /** {@code figure[.variant].method}. */
    public String name() { return key + "." + method; }

    public String targetText() { return target == null ? "—" : target.describe(unit); }
}
