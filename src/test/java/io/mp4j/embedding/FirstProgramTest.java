package io.mp4j.embedding;

import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first program, run exactly as printed (its source and its two command lines, taken from the README),
 * and {@code bin/mp4j run} with the user's classes elsewhere ({@code --cp}, {@code CLASSPATH}). Uses what
 * {@code bin/mp4j} built (it must not start a Maven build inside this one): skipped when it has not built yet, unless
 * {@code bin/mp4j test} runs it.
 */
class FirstProgramTest {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Map<String, String> NO_BUILD = Map.of("MP4J_NO_BUILD", "1");

    private static void assumeBuilt() {
        boolean built = Files.exists(Shell.root().resolve("target/mp4j-classpath.txt"));
        if (!"required".equals(System.getProperty("mp4j.test.sample"))) Assumptions.assumeTrue(built, "bin/mp4j has not built yet");
    }

    private static String readmeBlock(String regex) throws Exception {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(Files.readString(Shell.root().resolve("README.md")));
        assertThat(m.find()).as("README: " + regex).isTrue();
        return m.group(1);
    }

    @Test
    void shouldRunTheReadmesFirstProgramExactlyAsPrinted() throws Exception {
        assumeBuilt();
        String source = readmeBlock("## A first program\\s+```java\\n(.*?)```");
        String commands = readmeBlock("<!-- first-program:commands -->\\s*```\\n(.*?)```");
        Path root = Shell.root();
        Path file = root.resolve("Squares.java");
        assertThat(file).as("a Squares.java of someone else's").doesNotExist();
        try {
            Files.writeString(file, source);
            Shell.Result r = Shell.run(root, LIMIT, NO_BUILD, List.of("bash", "-ec", commands));
            assertThat(r.code()).as(r.output()).isZero();
            assertThat(r.output()).contains("square of a number is 100").contains("exit code 0");
        } finally {
            Files.deleteIfExists(file);
            try (var classes = Files.list(root)) {
                for (Path p : classes.filter(p -> p.getFileName().toString().matches("Squares(\\$.*)?\\.class")).toList()) Files.delete(p);
            }
        }
    }

    @Test
    @Timeout(380) // javac and two bin/mp4j runs (LIMIT, 2 min each) that this test can only wait for
    void shouldRunTheUsersClassesFromCpOrClasspath() throws Exception {
        assumeBuilt();
        Path dir = Files.createTempDirectory(TestFiles.prefix("user"));
        try {
            Files.writeString(dir.resolve("Hello.java"), """
                    public class Hello {
                        static void hello(String who) { System.out.println("hello " + who + " from " + ProcessHandle.current().pid()); }
                        public static void main(String[] a) throws Exception {
                            io.mp4j.MpProcess p = io.mp4j.Multiprocessing.process(Hello::hello, a[0]);
                            p.start();
                            p.join();
                            System.out.println("exit code " + p.exitCode());
                        }
                    }
                    """);
            String mp4j = Shell.root().resolve("bin/mp4j").toString();
            Shell.Result c = Shell.run(dir, LIMIT, NO_BUILD, List.of("bash", "-ec", "javac -cp \"$(" + mp4j + " classpath)\" -d classes Hello.java"));
            assertThat(c.code()).as(c.output()).isZero();
            Shell.Result cp = Shell.run(Shell.root(), LIMIT, NO_BUILD, List.of(mp4j, "run", "--cp", dir.resolve("classes").toString(), "Hello", "cp"));
            assertThat(cp.output()).as("--cp").contains("hello cp from").contains("exit code 0");
            Map<String, String> env = new java.util.HashMap<>(NO_BUILD);
            env.put("CLASSPATH", "classes");
            Shell.Result envCp = Shell.run(dir, LIMIT, env, List.of(mp4j, "run", "Hello", "env"));
            assertThat(envCp.output()).as("CLASSPATH, relative to the working directory").contains("hello env from").contains("exit code 0");
        } finally {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }
}
