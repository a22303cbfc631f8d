package io.mp4j.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The harness's logging, set up in code (Logback finds it as a service): the harness prints its own progress, and the
 * library logs only warnings here, to stderr. In code rather than in a {@code logback.xml}: Logback's XML
 * configuration starts its Joran interpreter and the JDK's XML parser in every JVM that logs (each program of
 * {@code first_use}, each child that opens a queue), which would be measured as part of the figures.
 *
 * <p>It steps aside for a configuration named with {@code -Dlogback.configurationFile}, or a {@code logback-test.xml}
 * or {@code logback.xml} on the class path.
 */
public final class BenchLogging extends ContextAwareBase implements Configurator {
    /** The pattern of each line: time, level, logger, message. */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n";

    /** Made by Logback's service loader. */
    public BenchLogging() {}

    @Override
    public ExecutionStatus configure(LoggerContext lc) {
        if (applicationConfigures(getClass().getClassLoader())) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        lc.getStatusManager().add(new NopStatusListener()); // no Logback status lines on stdout
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(lc);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(lc);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether the application names a configuration of its own, which Logback's own configurator then reads. */
    static boolean applicationConfigures(ClassLoader loader) {
        return System.getProperty("logback.configurationFile") != null
                || loader != null && (loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null);
    }
}
