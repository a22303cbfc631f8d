package io.mp4j.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PythonSuiteTest {
    @TempDir Path dir;

    private Path script(String body) throws Exception {
        Path s = dir.resolve("run.sh");
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void shouldParseTheSuitesTsvAndPassItsArguments() throws Exception {
        Path s = script("echo \"# args: $*\" >&2\nprintf 'pipe_roundtrip_us.fork\\t19.9\\tus\\t18.0\\t25.0\\t20000\\n'\n"
                + "printf 'not a figure line\\n'\nexit 1\n");
        var log = new ByteArrayOutputStream();
        var got = new PythonSuite(s, new PrintStream(log, true), Duration.ofSeconds(30))
                .run(List.of("pipe"), List.of("fork"), 0.05, dir);
        assertThat(got).containsOnlyKeys("pipe_roundtrip_us.fork");
        assertThat(got.get("pipe_roundtrip_us.fork").stats()).isEqualTo(new Stats(19.9, 18.0, 25.0, 20000));
        assertThat(log.toString()).contains("--only pipe --methods fork --scale 0.05 --json " + dir.resolve("python-results.json"))
                .contains("exit code 1");
    }

    @Test
    void shouldKillAHungSuiteAndKeepWhatItPrinted() throws Exception {
        Path s = script("printf 'process_start_join_ms.spawn\\t51.6\\tms\\t50\\t60\\t20\\n'\nexec sleep 30\n");
        var log = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        var got = new PythonSuite(s, new PrintStream(log, true), Duration.ofMillis(500))
                .run(List.of("process_start"), List.of("spawn"), 1, dir);
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        assertThat(got).containsOnlyKeys("process_start_join_ms.spawn");
        assertThat(log.toString()).contains("killed by the watchdog");
    }
}
