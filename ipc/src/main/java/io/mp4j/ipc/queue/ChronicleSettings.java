package io.mp4j.ipc.queue;

/**
 * Chronicle's own settings, applied before the first Chronicle class initialises. Its usage analytics are
 * on by default outside tests (they post to an external service and write {@code ~/.chronicle*} files):
 * the library turns them, the announcer banner and the performance notices off, unless the application
 * set these properties itself. Free of Chronicle types on purpose.
 *
 * <p>Chronicle also logs, at INFO, where its jar was loaded from ({@code "Chronicle core loaded from ..."}) in
 * every process that opens a queue. The library quiets that logger ({@value #STARTUP_LOGGER}) to WARN when the
 * application's logging configuration does not name it, for the SLF4J back ends it can reach without a
 * dependency: Logback, {@code java.util.logging} (slf4j-jdk14) and slf4j-simple. Naming the logger in the
 * configuration at INFO brings the notice back.
 */
public final class ChronicleSettings {
    private static final String[][] DEFAULTS = {
            {"chronicle.analytics.disable", "true"},
            {"chronicle.announcer.disable", "true"},
            {"disable.perf.info", "true"},
    };

    /** The logger of Chronicle's start-up notice. */
    public static final String STARTUP_LOGGER = "net.openhft.chronicle.core.Jvm";

    private static volatile boolean applied;

    private ChronicleSettings() {}

    /** Sets every property the application has not set, and quiets Chronicle's start-up notice. Idempotent. */
    public static void apply() {
        if (applied) return;
        for (String[] kv : DEFAULTS) {
            if (System.getProperty(kv[0]) == null) System.setProperty(kv[0], kv[1]);
        }
        quietStartupNotice();
        applied = true;
    }

    /**
     * Raises {@value #STARTUP_LOGGER} to WARN where the logging configuration leaves its level unset (Logback and
     * {@code java.util.logging} tell; slf4j-simple reads a system property at its start). Reflection only: the
     * library depends on no logging back end.
     */
    static void quietStartupNotice() {
        String simple = "org.slf4j.simpleLogger.log." + STARTUP_LOGGER;
        if (System.getProperty(simple) == null) System.setProperty(simple, "warn");
        try {
            Object logger = org.slf4j.LoggerFactory.getLogger(STARTUP_LOGGER);
            Class<?> c = logger.getClass();
            if (c.getName().equals("ch.qos.logback.classic.Logger")) {
                if (c.getMethod("getLevel").invoke(logger) == null) {
                    Class<?> level = Class.forName("ch.qos.logback.classic.Level", false, c.getClassLoader());
                    c.getMethod("setLevel", level).invoke(logger, level.getField("WARN").get(null));
                }
            } else if (c.getName().equals("org.slf4j.jul.JDK14LoggerAdapter")) {
                java.util.logging.Logger jul = java.util.logging.Logger.getLogger(STARTUP_LOGGER);
                if (jul.getLevel() == null) jul.setLevel(java.util.logging.Level.WARNING);
                KEEP.add(jul); // java.util.logging holds its loggers weakly: the level would go with a collected one
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // another back end, or another version: its notice stays
        }
    }

    private static final java.util.List<Object> KEEP = new java.util.concurrent.CopyOnWriteArrayList<>();
}
