package io.mp4j.embedding;

import io.mp4j.testkit.TestFiles;
import io.mp4j.StartMethod;
import io.mp4j.worker.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Children follow the parent's logging configuration: a parent started with {@code -Dlogback.configurationFile}
 * gets its children's log lines in that configuration's format, in every start method (pool workers are such processes).
 * (A logback.xml on the application's class path: the sample application's test, EmbeddingSampleTest.)
 */
class ChildLoggingTest {
    @Test
    @Timeout(200) // a parent JVM logging from a child in every start method (3 min limit) that this test can only wait for
    void shouldLogInChildrenWithTheParentsLogbackConfigurationFileInEveryStartMethod() throws Exception {
        Path config = TestFiles.file("logback", ".xml");
        try {
            Files.writeString(config, """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>from-config-file %msg%n</pattern></encoder>
                      </appender>
                      <root level="INFO"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
            List<String> cmd = JvmFlags.command(LoggingMain.class.getName(), List.of("-Dlogback.configurationFile=" + config));
            Shell.Result r = Shell.run(Path.of("."), Duration.ofMinutes(3), Map.of(), cmd);
            assertThat(r.code()).as(r.output()).isZero();
            for (StartMethod m : StartMethod.values()) {
                String where = m.pythonName() + "-process";
                assertThat(r.output()).as(where).containsPattern("(?m)^from-config-file .*logged in " + where + "$");
            }
        } finally {
            Files.delete(config);
        }
    }
}
