package io.mp4j.worker;

/**
 * Ends the current task with an exit status, as Python's {@code sys.exit(code)} in a child: thrown by
 * {@code Multiprocessing.exit} in a THREAD child (a JVM child exits at once), caught by whatever runs the task
 * (the child's bootstrap, a THREAD child's thread, a pool worker), which then ends with {@link #code()}.
 */
public final class ProcessExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The status asked for. */
    private final int code;

    /**
     * An exit with {@code code}; no stack trace (it is no error).
     *
     * @param code the exit status
     */
    public ProcessExit(int code) {
        super("exit(" + code + ")", null, false, false);
        this.code = code;
    }

    /** {@return the exit status asked for} */
    public int code() { return code; }
}
