package io.mp4j.embedding;

import io.mp4j.Multiprocessing;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application (samples/embedding-app, a Maven project of its own on the installed library) built once
 * and run as a user runs an application: {@code mvn exec:java} (its classes in Maven's class loader, the JVM options
 * in .mvn/jvm.config), plain {@code java -cp} with the options, and {@code java -jar} of its shaded jar with none
 * (they are in the manifest). The README's "Add to your project" is checked to be this recipe.
 *
 * <p>Needs the library installed ({@code bin/mp4j install}; {@code bin/mp4j test} does it first and makes this
 * test required); skipped otherwise.
 */
class EmbeddingSampleTest {
    private static final Duration LIMIT = Duration.ofMinutes(4);
    static Path app;
    static String execJavaOutput;

    @BeforeAll
    @Timeout(300) // a Maven build of the sample application (LIMIT, 4 min) that this class can only wait for
    static void buildOnceAndRunThroughExecJava() throws Exception {
        Path installed = Path.of(System.getProperty("user.home"), ".m2/repository/io/mp4j/mp4j-core/0.2.0/mp4j-core-0.2.0.jar");
        boolean required = "required".equals(System.getProperty("mp4j.test.sample"));
        if (!required) Assumptions.assumeTrue(Files.exists(installed), "the library is not installed: bin/mp4j install");
        app = Shell.root().resolve("samples/embedding-app");
        // one Maven run: build, write the class path, then run the application in Maven's JVM (exec:java)
        Shell.Result r = Shell.run(app, LIMIT, Map.of(), List.of("mvn", "-B", "-q", "package", "dependency:build-classpath",
                "-Dmdep.outputFile=target/classpath.txt", "-Dmdep.includeScope=runtime", "exec:java"));
        assertThat(r.code()).as(r.output()).isZero();
        execJavaOutput = r.output();
    }

    /** What the sample prints, in every way it is run. */
    private static void assertRanFully(String how, String out) {
        assertThat(out).as(how).contains("squares [1, 4, 9, 16, 25]").contains("got item-1").contains("got item-2")
                .contains("got item-3").contains("producer exit code 0")
                .as(how + ": the child logs through the application's logback.xml").contains("app-log App producing 3 items");
        assertThat(out).as(how).doesNotContain("Could not find or load main class").doesNotContain("Exception");
    }

    @Test
    void shouldRunThroughMavenExecJava() {
        assertRanFully("mvn exec:java", execJavaOutput);
    }

    @Test
    void shouldRunFromPlainJavaWithTheRequiredOptions() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(Multiprocessing.requiredJvmOptions());
        cmd.addAll(List.of("-cp", "target/embedding-app-1.0.jar:" + Files.readString(app.resolve("target/classpath.txt")).strip(), "com.example.App"));
        Shell.Result r = Shell.run(app, LIMIT, Map.of(), cmd);
        assertThat(r.code()).as(r.output()).isZero();
        assertRanFully("java -cp", r.output());
    }

    @Test
    void shouldRunFromTheShadedJarWithNoCommandLineOptions() throws Exception {
        Shell.Result r = Shell.run(app, LIMIT, Map.of(), List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/embedding-app-1.0-all.jar"));
        assertThat(r.code()).as(r.output()).isZero();
        assertRanFully("java -jar", r.output());
    }

    @Test
    void shouldCarryTheRequiredOptionsInTheManifestAndInJvmConfig() throws Exception {
        try (JarFile jar = new JarFile(app.resolve("target/embedding-app-1.0-all.jar").toFile())) {
            Manifest m = jar.getManifest();
            List<String> fromManifest = new ArrayList<>();
            for (String p : m.getMainAttributes().getValue("Add-Opens").split(" ")) fromManifest.add("--add-opens=" + p + "=ALL-UNNAMED");
            for (String p : m.getMainAttributes().getValue("Add-Exports").split(" ")) fromManifest.add("--add-exports=" + p + "=ALL-UNNAMED");
            fromManifest.add("--enable-native-access=" + m.getMainAttributes().getValue("Enable-Native-Access"));
            List<String> expected = new ArrayList<>(Multiprocessing.requiredJvmOptions());
            expected.remove("--sun-misc-unsafe-memory-access=allow"); // no manifest attribute exists for it
            assertThat(fromManifest).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(Files.readAllLines(app.resolve(".mvn/jvm.config"))).containsExactlyElementsOf(Multiprocessing.requiredJvmOptions());
    }

    /** The text between {@code <!-- add-to-your-project:NAME -->} and its end marker in {@code file}, trimmed per line. */
    static String marked(Path file, String name) throws Exception {
        Matcher m = Pattern.compile("<!-- add-to-your-project:" + name + " -->(.*?)<!-- /add-to-your-project:" + name + " -->", Pattern.DOTALL)
                .matcher(Files.readString(file));
        assertThat(m.find()).as(file + ": the marked part " + name).isTrue();
        return m.group(1).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("```")).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void shouldShowTheSamplesRecipeInTheReadme() throws Exception {
        Path readme = Shell.root().resolve("README.md");
        assertThat(marked(readme, "maven")).as("the README's Maven snippet is the sample's dependency")
                .isEqualTo(marked(app.resolve("pom.xml"), "maven"));
        assertThat(marked(readme, "options")).as("the README's JVM options")
                .isEqualTo(String.join("\n", Multiprocessing.requiredJvmOptions()) + "\n");
        assertThat(Files.readString(readme)).as("the README names the sample").contains("samples/embedding-app");
    }
}
