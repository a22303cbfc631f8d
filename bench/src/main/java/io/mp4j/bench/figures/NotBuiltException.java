package io.mp4j.bench.figures;

/** The feature a figure needs is not built yet (the figure is reported as such, never skipped). */
public final class NotBuiltException extends RuntimeException {
    /** {@code what}: the missing feature ("Pool (issue 7)"); the message reads "not built yet: " + what. */
    public NotBuiltException(String what) { super(what.startsWith("not built yet") ? what : "not built yet: " + what); }
}
