package io.mp4j;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mp4j.core.pool.LocalPool;
import io.mp4j.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the library logs: a replaced pool worker at WARN with its cause; no Chronicle start-up notice by default. */
class LibraryLoggingTest {
    /** The WARN line is the parent's, on a worker's end: the same whichever way the worker JVM started. */
    static List<StartMethod> methods() { return TestMethods.independentOfTheJvmStart(); }

    private static List<String> warnings(ListAppender<ILoggingEvent> seen) {
        synchronized (seen) { // the appender adds under its own lock
            return seen.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldLogAReplacedWorkerAtWarnWithItsCause(StartMethod m) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(LocalPool.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        Pool pool = Multiprocessing.getContext(m).pool(1);
        try {
            assertThatThrownBy(() -> pool.apply(PoolTasks::exitWith, 7)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> pool.apply(PoolTasks::outOfMemory, 1)).isInstanceOf(ExecutionException.class);
            assertThat(pool.apply(PoolTasks::square, 3)).isEqualTo(9);
            // a worker that ends after an Error says so first, and its replacement starts beside it: the line of its
            // end comes when its exit is seen, which may be after the next task's result
            List<String> warnings = Await.until("the WARN lines of both replaced workers", () -> warnings(seen),
                    w -> w.stream().anyMatch(l -> l.contains("OutOfMemoryError")) && w.size() >= 2);
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("exited with code 7").contains("PoolTasks.exitWith")
                    .contains("a new worker replaces it"));
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("OutOfMemoryError").contains("a new worker replaces it"));
        } finally {
            logger.detachAppender(seen);
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void shouldKeepChroniclesStartUpNoticeQuietInAQueueUsingProcessUnlessItsConfigurationAsksForIt() throws Exception {
        Path parent = config("<root level=\"INFO\"><appender-ref ref=\"E\"/></root>");
        Path child = config("<logger name=\"net.openhft.chronicle.core.Jvm\" level=\"INFO\"/><root level=\"INFO\"><appender-ref ref=\"E\"/></root>");
        try {
            JvmRun r = JvmRun.start(Duration.ofSeconds(60), List.of("-Dlogback.configurationFile=" + parent),
                    LoggingMains.QueueInTwoProcesses.class, child.toString());
            assertThat(r.await()).as("stderr: %s", r.stderr()).isZero();
            assertThat(r.stdout()).contains("done 0");
            // the coordinator's configuration leaves the logger unset: quiet; the child's names it at INFO: one notice
            assertThat(r.stderr().split("Chronicle core loaded from", -1)).as("stderr: %s", r.stderr()).hasSize(2);
        } finally {
            Files.deleteIfExists(parent);
            Files.deleteIfExists(child);
        }
    }

    /** A Logback configuration file with a console appender E on stderr and these loggers. */
    private static Path config(String loggers) throws java.io.IOException {
        Path f = io.mp4j.testkit.TestFiles.file("logback", ".xml");
        Files.writeString(f, """
                <configuration>
                  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
                  <appender name="E" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
                    <encoder><pattern>%-5level %logger - %msg%n</pattern></encoder></appender>
                """ + loggers + "\n</configuration>\n");
        return f;
    }
}
