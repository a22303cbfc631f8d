package io.mp4j.ipc.queue;

/**
 * Chronicle's own settings, applied before the first Chronicle class initialises. Its usage analytics are
 * on by default outside tests (they post to an external service and write {@code ~/.chronicle*} files):
 * the library turns them, the announcer banner and the performance notices off, unless the application
 * set these properties itself. Free of Chronicle types on purpose.
 */
public final class ChronicleSettings {
    private static final String[][] DEFAULTS = {
            {"chronicle.analytics.disable", "true"},
            {"chronicle.announcer.disable", "true"},
            {"disable.perf.info", "true"},
    };

    private ChronicleSettings() {}

    /** Sets every property the application has not set. Idempotent. */
    public static void apply() {
        for (String[] kv : DEFAULTS) {
            if (System.getProperty(kv[0]) == null) System.setProperty(kv[0], kv[1]);
        }
    }
}
