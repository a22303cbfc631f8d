package io.mp4j.crossmode;

import io.mp4j.StartMethod;
import io.mp4j.examples.ExampleRunner;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every example under FORK, SPAWN, FORKSERVER and THREAD, each in a fresh coordinator JVM (as
 * {@code bin/mp4j example NAME --start-method M} runs it: from jars, with the children's ahead-of-time caches,
 * {@link ExampleJvms}), its stdout compared with {@code expected/NAME.txt} after the canonical form documented in
 * {@link ExpectedOutput}. The only allowed differences between modes are lines marked with their modes there (the
 * FORK snapshot).
 */
class CrossModeExamplesTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static ExampleJvms jvms;

    @BeforeAll
    static void jarsAndCaches() throws Exception {
        jvms = ExampleJvms.prepare(Path.of("target", "crossmode"));
    }

    static Stream<Arguments> examplesAndStartMethods() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (ExampleRunner.Entry e : ExampleRunner.all()) {
            if (!e.mainClass().getAnnotation(io.mp4j.examples.Example.class).everyStartMethod()) continue;
            for (StartMethod m : StartMethod.values()) out.add(Arguments.of(e.name(), m));
        }
        return out.stream();
    }

    /** Runs two example JVMs at a time: each mostly waits for its children's JVMs to start. */
    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("examplesAndStartMethods")
    @Execution(ExecutionMode.CONCURRENT)
    void everyExamplePrintsWhatItsPythonOriginalPrintsInEveryStartMethod(String name, StartMethod m) throws Exception {
        check(name, m, expected(name));
    }

    @Test
    void everyExampleHasAnExpectedOutput() throws IOException {
        for (ExampleRunner.Entry e : ExampleRunner.all()) {
            assertThat(getClass().getResource("/expected/" + e.name() + ".txt")).as("expected/" + e.name() + ".txt").isNotNull();
        }
    }

    @Test
    void theCanonicalFormMasksPidsAndNumbersAndOrdersOnlyMarkedBlocks() {
        ExpectedOutput x = ExpectedOutput.parse("main {pid}\n#unordered\na {num}\nb\n#end\n[fork] 999\n[spawn,thread] 777\n", "fork");
        assertThat(x.mismatch("main 123\nb\na 1.5\n999\n")).isNull();
        assertThat(x.mismatch("main 123\na 1\nb\n777\n")).contains("expected '999'");
        assertThat(x.mismatch("main x\na 1\nb\n999\n")).contains("line 1");
        assertThat(x.mismatch("main 1\na 1\nb\n999\nextra\n")).contains("unexpected line 5");
        assertThat(x.isModeSpecific()).isTrue();
        assertThat(ExpectedOutput.parse("[fork] 999\n[spawn] 777\n", "spawn").mismatch("777")).isNull();
    }

    @Test
    void theCanonicalFormChecksTheSumsAndRunsOfTheNumbersItMasks() {
        ExpectedOutput sum = ExpectedOutput.parse("#unordered\nx\na did {num:n}\nb did {num:n}\n#end\n#sum n = 100\n", "spawn");
        assertThat(sum.mismatch("b did 60\nx\na did 40\n")).isNull();
        assertThat(sum.mismatch("a did 60\nx\nb did 39\n")).contains("#sum n = 100").contains("add up to 99");
        ExpectedOutput runs = ExpectedOutput.parse("p{num:who}\np{num:who}\np{num:who}\np{num:who}\n#runs who = 2,2\n", "fork");
        assertThat(runs.mismatch("p7\np7\np3\np3\n")).isNull();
        assertThat(runs.mismatch("p7\np3\np7\np3\n")).contains("runs of [1, 1, 1, 1]");
        assertThat(runs.mismatch("p7\np7\np7\np3\n")).contains("runs of [3, 1]");
        assertThat(ExpectedOutput.parse("p{num:who}\np{num:who}\np{num:who}\n#runs who = 1,1,1\n", "fork").mismatch("p1\np2\np1\n"))
                .contains("a value coming back");
    }

    private static String expected(String name) throws IOException {
        try (InputStream in = CrossModeExamplesTest.class.getResourceAsStream("/expected/" + name + ".txt")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void check(String name, StartMethod m, String expectedText) throws Exception {
        if (expectedText == null) fail("no expected/" + name + ".txt");
        List<String> cmd = jvms.command(ExampleRunner.class.getName(), List.of("-Dmp4j.start.method=" + m.pythonName(), "-Dmp4j.fork.standby=1"), name);
        CommandLine cl = new CommandLine(cmd.getFirst());
        for (String a : cmd.subList(1, cmd.size())) cl.addArgument(a, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(new PumpStreamHandler(out, err));
        ex.setWatchdog(ExecuteWatchdog.builder().setTimeout(LIMIT).get());
        ex.setExitValues(null);
        int code = ex.execute(cl);
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit status of example %s under %s; stderr:%n%s", name, m.pythonName(), stderr).isZero();
        String diff = ExpectedOutput.parse(expectedText, m.pythonName()).mismatch(stdout);
        if (diff != null) fail("example " + name + " under " + m.pythonName() + ": " + diff + "\n--- stdout:\n" + stdout + "--- stderr:\n" + stderr);
    }
}
