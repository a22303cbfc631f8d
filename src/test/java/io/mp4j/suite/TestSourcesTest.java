package io.mp4j.suite;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of CONTRIBUTING.md, "Writing a test" that a search can check, over every module's test sources: no sleep and no
 * spin unless it is the behaviour under test (the line says so: {@code // behaviour: ...}), no bounded wait whose
 * outcome is ignored, no temporary file that does not carry the JVM's pid, and no benchmark code outside the
 * bench module.
 */
class TestSourcesTest {
    private static final Path ROOT = root();

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("bin/mp4j"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
        return p;
    }

    /** Every line of every test source: {@code path:line: text}. */
    private static List<String> testLines() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(TestSourcesTest::isTestSource).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) out.add(ROOT.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
        }
        return out;
    }

    private static boolean isTestSource(Path f) {
        String s = ROOT.relativize(f).toString();
        return s.endsWith(".java") && s.contains("src/test/java/") && !s.contains("/target/") && !s.startsWith(".git")
                && !s.endsWith("TestSourcesTest.java");
    }

    private static List<String> matching(String regex) throws IOException {
        Pattern p = Pattern.compile(regex);
        return testLines().stream().filter(l -> p.matcher(l).find()).toList();
    }

    @Test
    void noTestSleepsOrSpinsToCoordinateOnlyAsTheBehaviourUnderTest() throws IOException {
        assertThat(matching("Thread\\.sleep\\(|\\.sleep\\(|LockSupport\\.park|Thread\\.onSpinWait\\(")
                .stream().filter(l -> !l.contains("behaviour:")).toList())
                .as("waits on time or spins in tests (Await waits for state; a sleep that IS the behaviour says so: // behaviour: ...)")
                .isEmpty();
    }

    @Test
    void noTestIgnoresWhetherABoundedWaitEnded() throws IOException {
        assertThat(matching(";\\s*$").stream()
                .filter(l -> l.matches(".*: (\\w+(\\.\\w+\\(\\))*)\\.(join|waitFor|await|awaitTermination|tryAcquire)"
                        + "\\(([^;]*(TimeUnit\\.|Duration\\.)[^;]*|\\s*[0-9][0-9_]*L?\\s*)\\);\\s*$"))
                .toList())
                .as("a join, waitFor or await with a timeout whose result nobody checks (assert it, or Await.ended)").isEmpty();
    }

    @Test
    void testFilesInTheSharedTemporaryPlacesCarryThePid() throws IOException {
        assertThat(matching("Files\\.createTemp(File|Directory)\\(\"|File\\.createTempFile\\(").stream()
                .filter(l -> !l.contains("testkit/src/")).toList())
                .as("temporary files named without the pid (TestFiles names them mp4j-<pid>-...; @TempDir is fine too)").isEmpty();
    }

    @Test
    void benchmarkCodeLivesInTheBenchModuleOnly() throws IOException {
        List<String> outside = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(f -> f.toString().endsWith(".java") && !f.toString().contains("/target/"))
                    .map(f -> ROOT.relativize(f).toString())
                    .filter(s -> !s.startsWith("bench/"))
                    .filter(s -> s.contains("/io/mp4j/bench/") || s.matches(".*/\\w*Bench(Main)?\\.java"))
                    .forEach(outside::add);
        }
        assertThat(outside).as("benchmark programs outside the bench module (io.mp4j.bench, *Bench)").isEmpty();
    }
}
