package io.mp4j;

import io.mp4j.worker.ChildMain;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.JvmSpec;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The required JVM options: one list, which the build's test JVMs and child JVMs carry; a program started without
 * them fails at its first queue (or, where native access is denied, its first lock) within seconds, naming them.
 */
class RequiredJvmOptionsTest {
    @Test
    void shouldListTheOptionsInTheParentPomsArgLineAndGiveThemToEveryChild() throws Exception {
        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher m = Pattern.compile("<mp4j.jvm.flags>(.*?)</mp4j.jvm.flags>").matcher(pom);
        assertThat(m.find()).as("the parent pom's mp4j.jvm.flags").isTrue();
        assertThat(List.of(m.group(1).trim().split("\\s+"))).as("the pom's copy of the list")
                .containsExactlyElementsOf(Multiprocessing.requiredJvmOptions());
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).as("this test JVM's options (Surefire's argLine)")
                .containsAll(Multiprocessing.requiredJvmOptions());
        assertThat(JvmFlags.command(ChildMain.class.getName(), new JvmSpec("x.jar", List.of())))
                .containsAll(Multiprocessing.requiredJvmOptions());
    }

    private static Process start(List<String> options, String what) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(JvmFlags.javaExecutable()));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MissingOptionsMain.class.getName(), what));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String finish(Process p) throws Exception {
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(ended).as("ended by itself instead of hanging: " + out).isTrue();
        return out;
    }

    @Test
    void shouldFailTheFirstQueueAtOnceNamingTheMissingOptionsInsteadOfHanging() throws Exception {
        long t0 = System.nanoTime();
        Process p = start(List.of(), "queue");
        String out = finish(p);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("IllegalStateException").contains("a queue needs JVM options")
                .contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED").contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
                .contains("MAVEN_OPTS").contains("argLine").contains("Add-Opens").doesNotContain("joined").doesNotContain("AssertionError");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).as("within seconds").isLessThan(30);
    }

    @Test
    void shouldFailTheFirstLockAtOnceWhereNativeAccessIsDenied() throws Exception {
        List<String> queueOnly = List.of("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
                "--illegal-native-access=deny");
        Process p = start(queueOnly, "lock");
        String out = finish(p);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("needs native access").contains("--enable-native-access=ALL-UNNAMED").doesNotContain("locked");
    }
}
