package io.mp4j.worker;

/**
 * Exit statuses in Python's convention, and their wording: what the JDK reports for a child is mapped here, and
 * described here, so that every message about a child's end says it the same way.
 */
public final class ExitStatus {
    private ExitStatus() {}

    /**
     * Maps a JDK exit value to Python's convention. The JDK reports death by signal N as 128+N, the same
     * value a shell reports, so statuses 129-192 are reported as -N: a child cannot distinguish
     * {@code exit(137)} from SIGKILL, and neither can its parent.
     *
     * @param jdkExitValue what {@code Process.exitValue()} reported
     * @return the status in Python's convention
     */
    public static int fromJdk(int jdkExitValue) {
        if (jdkExitValue > 128 && jdkExitValue <= 128 + 64) return -(jdkExitValue - 128);
        return jdkExitValue;
    }

    /**
     * How a child ended, as a phrase that follows its name: "exited with code 7", "was killed by signal 9 SIGKILL
     * (exit code -9)", "ended (exit code unknown)" for {@code null}.
     *
     * @param code the status in Python's convention, or null when unknown
     * @return the phrase
     */
    public static String describe(Integer code) {
        if (code == null) return "ended (exit code unknown)";
        if (code < 0) return "was killed by signal " + (-code) + signalName(-code) + " (exit code " + code + ")";
        return "exited with code " + code;
    }

    /** The signal's name with a leading space ({@code " SIGKILL"}), or "" for one without a common name. */
    static String signalName(int sig) {
        return switch (sig) {
            case 1 -> " SIGHUP";
            case 2 -> " SIGINT";
            case 6 -> " SIGABRT";
            case 9 -> " SIGKILL";
            case 11 -> " SIGSEGV";
            case 15 -> " SIGTERM";
            default -> "";
        };
    }
}
