package io.mp4j.crossmode;

import io.mp4j.StartMethod;
import io.mp4j.examples.ExampleRunner;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import io.mp4j.examples.ExampleSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.mp4j.testkit.Await;
import org.junit.jupiter.api.Timeout;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every example under FORK, SPAWN, FORKSERVER and THREAD, its stdout compared with {@code expected/NAME.txt} after the
 * canonical form documented in {@link ExpectedOutput}. The only allowed differences between modes are lines marked
 * with their modes there (the FORK snapshot).
 *
 * <p>The examples of a start method run one after another in one coordinator JVM ({@link ExampleSequence}, each
 * followed by what a program's end does with its children), so that the suite pays for one coordinator and its
 * warm JVMs per start method rather than per example. An example whose expected output needs a fresh JVM (it names
 * {@code Process-1}, the first process a JVM creates) either heads its method's sequence (the first such example: the
 * sequence's JVM is fresh when it runs) or runs in a coordinator JVM of its own, as
 * {@code bin/mp4j example NAME --start-method M} runs it: so every start method also has a whole-program run. Both
 * kinds start from jars, with the children's ahead-of-time caches ({@link ExampleJvms}). A sequence's FORK and
 * FORKSERVER standbys skip their warm-up stages ({@code ChildMain.NO_STANDBY_WARMUP_PROPERTY}): its examples check what
 * the programs print, which the warm-up does not change; the whole-program runs keep the warm-up users get.
 */
class CrossModeExamplesTest {
    /**
     * The longest one example may run, alone or in a sequence: it bounds a hang. An example that starts ten SPAWN
     * JVMs at once shares two cores with the suite's other stream, which on a loaded host takes minutes.
     */
    private static final Duration LIMIT = Await.scaled(Duration.ofMinutes(4));
    /** An expected output that needs the numbering of a fresh JVM's processes. */
    private static final Pattern FRESH_JVM = Pattern.compile("Process-[0-9]");
    private static ExampleJvms jvms;
    private static ExecutorService runner;
    /** What each (example, start method) printed, by {@link #key}: filled as the coordinator JVMs end. */
    private static final Map<String, CompletableFuture<Output>> OUTPUTS = new ConcurrentHashMap<>();

    /** One example's run: how it ended ({@code ok}, {@code failed}, ...), its stdout and its stderr. */
    private record Output(String outcome, String stdout, String stderr) {}

    /** Trains three caches first (one of them waited for up to 3 minutes): slow on a loaded host. */
    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void runEveryExampleInEveryStartMethod() throws Exception {
        jvms = ExampleJvms.prepare(Path.of("target", "crossmode"));
        // Two coordinator JVMs at a time: each mostly waits for its children's JVMs to start.
        runner = Executors.newFixedThreadPool(2, r -> Thread.ofPlatform().daemon().name("crossmode-runner").unstarted(r));
        List<Runnable> alone = new ArrayList<>();
        for (StartMethod m : StartMethod.values()) {
            List<String> sequence = new ArrayList<>();
            boolean freshHead = false;
            for (String name : examples()) {
                OUTPUTS.put(key(name, m), new CompletableFuture<>());
                if (!FRESH_JVM.matcher(String.valueOf(expected(name))).find()) {
                    sequence.add(name);
                } else if (!freshHead) {
                    // the first example of a sequence runs in a fresh JVM: it creates the JVM's first processes
                    sequence.addFirst(name);
                    freshHead = true;
                } else {
                    alone.add(() -> runAlone(name, m));
                }
            }
            runner.execute(() -> runSequence(sequence, m));
        }
        alone.forEach(runner::execute);
    }

    @AfterAll
    static void stopRunner() throws InterruptedException {
        runner.shutdownNow();
        assertThat(runner.awaitTermination(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the cross-mode runner threads ended").isTrue();
    }

    private static List<String> examples() throws IOException {
        List<String> out = new ArrayList<>();
        for (ExampleRunner.Entry e : ExampleRunner.all()) {
            if (e.mainClass().getAnnotation(io.mp4j.examples.Example.class).everyStartMethod()) out.add(e.name());
        }
        return out;
    }

    static Stream<Arguments> examplesAndStartMethods() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (StartMethod m : StartMethod.values()) for (String name : examples()) out.add(Arguments.of(name, m));
        return out.stream();
    }

    /** Waits for the example's coordinator JVM (its sequence's, which may come after others): hence the longer limit. */
    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("examplesAndStartMethods")
    @Timeout(value = 16, unit = TimeUnit.MINUTES)
    void everyExamplePrintsWhatItsPythonOriginalPrintsInEveryStartMethod(String name, StartMethod m) throws Exception {
        String expectedText = expected(name);
        if (expectedText == null) fail("no expected/" + name + ".txt");
        Output o = OUTPUTS.get(key(name, m)).get(15, TimeUnit.MINUTES);
        assertThat(o.outcome()).as("how example %s under %s ended; stderr:%n%s", name, m.pythonName(), o.stderr()).isEqualTo("ok");
        String diff = ExpectedOutput.parse(expectedText, m.pythonName()).mismatch(o.stdout());
        if (diff != null) fail("example " + name + " under " + m.pythonName() + ": " + diff + "\n--- stdout:\n" + o.stdout() + "--- stderr:\n" + o.stderr());
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

    private static String key(String name, StartMethod m) { return name + " under " + m.pythonName(); }

    /** One example in a coordinator JVM of its own, as {@code bin/mp4j example NAME --start-method M} runs it. */
    private static void runAlone(String name, StartMethod m) {
        CompletableFuture<Output> out = OUTPUTS.get(key(name, m));
        try {
            Jvm r = run(List.of(name), m, ExampleRunner.class, LIMIT, List.of());
            out.complete(new Output(r.code() == 0 ? "ok" : "exit status " + r.code(), r.stdout(), r.stderr()));
        } catch (Throwable t) {
            out.completeExceptionally(t);
        }
    }

    /**
     * The examples {@code names} one after another in one coordinator JVM, its output split at
     * {@link ExampleSequence}'s markers. The JVM's own exit status counts for each of them: a JVM that fails to end
     * cleanly fails every example it ran.
     */
    private static void runSequence(List<String> names, StartMethod m) {
        try {
            // the standbys of a sequence skip their warm-up stages: the whole-program runs keep them, as users run them
            Jvm r = run(names, m, ExampleSequence.class, LIMIT.multipliedBy(names.size()),
                    List.of("-D" + io.mp4j.worker.ChildMain.NO_STANDBY_WARMUP_PROPERTY + "=true"));
            Map<String, Section> outs = split(r.stdout());
            Map<String, Section> errs = split(r.stderr());
            for (String name : names) {
                Section out = outs.get(name);
                Section err = errs.get(name);
                String outcome;
                if (out == null) outcome = "not reached: the sequence's JVM ended before it with exit status " + r.code();
                else if (r.code() != 0 && out.outcome().equals("ok")) outcome = "ok, then the sequence's JVM ended with exit status " + r.code();
                else outcome = out.outcome();
                OUTPUTS.get(key(name, m)).complete(new Output(outcome, out == null ? "" : out.text(), err == null ? r.stderr() : err.text()));
            }
        } catch (Throwable t) {
            for (String name : names) OUTPUTS.get(key(name, m)).completeExceptionally(t);
        }
    }

    /** An example's lines between its markers, and the outcome its end marker gives. */
    private record Section(String text, String outcome) {}

    /** Each example's section of {@code output}, by name. */
    private static Map<String, Section> split(String output) {
        Map<String, Section> out = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(ExampleSequence.START + " ")) {
                current = line.substring(ExampleSequence.START.length() + 1).strip();
                text.setLength(0);
            } else if (current != null && line.startsWith(ExampleSequence.END + " " + current + " ")) {
                out.put(current, new Section(text.toString(), line.substring(ExampleSequence.END.length() + current.length() + 2).strip()));
                current = null;
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        return out;
    }

    private record Jvm(int code, String stdout, String stderr) {}

    private static Jvm run(List<String> names, StartMethod m, Class<?> main, Duration limit, List<String> options) throws IOException {
        List<String> jvmOptions = new ArrayList<>(List.of("-Dmp4j.start.method=" + m.pythonName(), "-Dmp4j.fork.standby=1",
                "-Dmp4j.example.limit=" + LIMIT.toSeconds()));
        jvmOptions.addAll(options);
        List<String> cmd = jvms.command(main.getName(), jvmOptions, names.toArray(String[]::new));
        CommandLine cl = new CommandLine(cmd.getFirst());
        for (String a : cmd.subList(1, cmd.size())) cl.addArgument(a, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(new PumpStreamHandler(out, err));
        ex.setWatchdog(ExecuteWatchdog.builder().setTimeout(limit).get());
        ex.setExitValues(null);
        long t0 = System.nanoTime();
        int code = ex.execute(cl);
        System.out.printf(java.util.Locale.ROOT, "[crossmode] %s: %d example(s) in one JVM, %.1f s, exit status %d%n",
                m.pythonName(), names.size(), (System.nanoTime() - t0) / 1e9, code);
        return new Jvm(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
