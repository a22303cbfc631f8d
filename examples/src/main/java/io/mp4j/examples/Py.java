package io.mp4j.examples;

import java.util.List;
import java.util.stream.Collectors;

/** Formats values as Python's {@code print} does, so the ports print what the originals print. */
public final class Py {
    private Py() {}

    /** {@code True}/{@code False}. */
    public static String str(boolean b) { return b ? "True" : "False"; }

    /** {@code [1, 4, 9]} for a list of numbers or strings (strings quoted as Python's repr). */
    public static String str(List<?> list) {
        return list.stream().map(Py::repr).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Python's {@code repr} of a scalar. */
    public static String repr(Object o) {
        if (o == null) return "None";
        if (o instanceof String s) return "'" + s + "'";
        if (o instanceof Boolean b) return str(b);
        if (o instanceof List<?> l) return str(l);
        return String.valueOf(o);
    }
}
