package io.mp4j.crossmode;

import io.mp4j.StartMethod;
import io.mp4j.examples.ExampleRunner;
import io.mp4j.worker.JvmFlags;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every example under FORK, SPAWN, FORKSERVER and THREAD, each in a fresh coordinator JVM (as
 * {@code bin/mp4j example NAME --start-method M} runs it), its stdout compared with
 * {@code expected/NAME.txt} after the canonical form documented in {@link ExpectedOutput}. The only
 * allowed differences between modes are lines marked with their modes there (the FORK snapshot).
 */
class CrossModeExamplesTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);

    @TestFactory
    Stream<DynamicContainer> everyExamplePrintsWhatItsPythonOriginalPrintsInEveryStartMethod() throws IOException {
        List<DynamicContainer> out = new ArrayList<>();
        for (ExampleRunner.Entry e : ExampleRunner.all()) {
            String expected = expected(e.name());
            List<DynamicTest> tests = new ArrayList<>();
            for (StartMethod m : StartMethod.values()) {
                tests.add(DynamicTest.dynamicTest(m.pythonName(), () -> check(e.name(), m, expected)));
            }
            out.add(DynamicContainer.dynamicContainer(e.name(), tests));
        }
        return out.stream();
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

    private static String expected(String name) throws IOException {
        try (InputStream in = CrossModeExamplesTest.class.getResourceAsStream("/expected/" + name + ".txt")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void check(String name, StartMethod m, String expectedText) throws Exception {
        if (expectedText == null) fail("no expected/" + name + ".txt");
        List<String> cmd = JvmFlags.command(ExampleRunner.class.getName(), List.of("-Dmp4j.start.method=" + m.pythonName()), name);
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
