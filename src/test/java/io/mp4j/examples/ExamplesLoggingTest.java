package io.mp4j.examples;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples' logging, set up in code: what the removed logback.xml said, and out of the way of an application's own. */
class ExamplesLoggingTest {
    @TempDir
    Path dir;

    @Test
    void shouldSendWarningsAndErrorsToStderrInTheExamplesFormat() {
        LoggerContext lc = new LoggerContext();
        assertThat(new ExamplesLogging().configure(lc)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        ch.qos.logback.classic.Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        var appender = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(appender.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) appender.getEncoder()).getPattern()).isEqualTo("%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n");
        lc.stop();
    }

    @Test
    void shouldBeFoundByLogbacksServiceLoader() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .as("META-INF/services of the examples").contains(ExamplesLogging.class);
    }

    @Test
    void shouldStepAsideForALogbackXmlOfTheApplication() throws Exception {
        ClassLoader none = new URLClassLoader(new URL[]{dir.toUri().toURL()}, null);
        assertThat(ExamplesLogging.applicationConfigures(none)).as("no configuration of the application's").isFalse();
        Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
        assertThat(ExamplesLogging.applicationConfigures(none)).as("a logback.xml on the class path").isTrue();
    }
}
