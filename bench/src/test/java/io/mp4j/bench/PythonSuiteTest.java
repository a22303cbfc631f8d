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

    @Test
    void shouldRunFirstUsePyBesideRunShWithItsRepsAndMethods() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PythonSuite.pythonPresent(), "python3 not on the PATH");
        Path s = script("exit 0\n");
        Files.writeString(dir.resolve("first_use.py"), "import sys\nsys.stderr.write('# args: ' + ' '.join(sys.argv[1:]) + '\\n')\n"
                + "print('first_use_ms.pipe.fork\\t98.5\\tms\\t90.0\\t120.0\\t5')\n");
        var log = new ByteArrayOutputStream();
        var got = new PythonSuite(s, new PrintStream(log, true), Duration.ofSeconds(30)).firstUse(List.of("fork", "spawn"), 5, dir);
        assertThat(got).containsOnlyKeys("first_use_ms.pipe.fork");
        assertThat(got.get("first_use_ms.pipe.fork").stats()).isEqualTo(new Stats(98.5, 90.0, 120.0, 5));
        assertThat(log.toString()).contains("# args: --all --reps 5 --methods fork,spawn");
    }
}
