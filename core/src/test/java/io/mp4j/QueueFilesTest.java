package io.mp4j;

import io.mp4j.testkit.Await;
import io.mp4j.worker.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a queue leaves behind and loads: its files after any exit, Chronicle's home files, class loading. */
class QueueFilesTest {
    @TempDir
    Path home;

    @Test
    void shouldLeaveNoQueueFilesAfterANormalExit() throws Exception {
        JvmRun run = JvmRun.start(Duration.ofSeconds(60), List.of(), QueueMains.UseQueue.class, "exit");
        assertThat(run.await()).as(run.stderr()).isZero();
        Path dir = Paths.get(run.awaitLine("dir ", Duration.ofSeconds(1)).substring(4));
        assertThat(run.stdout()).contains("got 42");
        assertThat(dir).doesNotExist();
    }

    @Test
    void shouldLeaveNoQueueFilesAfterTheCoordinatorIsKilled() throws Exception {
        JvmRun run = JvmRun.start(Duration.ofSeconds(60), List.of(), QueueMains.UseQueue.class, "kill");
        Path dir = Paths.get(run.awaitLine("dir ", Duration.ofSeconds(30)).substring(4));
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("Chronicle's files while it runs").anyMatch(n -> n.endsWith(".cq4"));
        }
        long pid = Long.parseLong(dir.getFileName().toString().split("-")[1]);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        run.await();
        Await.until("the tracker to remove " + dir + " after the JVM died", () -> !Files.exists(dir));
    }

    @Test
    void shouldWriteNoChronicleFilesInTheHomeDirectoryWithoutTheChronicleProperties() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaExecutable());
        for (String f : JvmFlags.REQUIRED) {
            if (!f.startsWith("-Dchronicle.") && !f.startsWith("-Ddisable.perf")) cmd.add(f);
        }
        cmd.add("-Duser.home=" + home);
        cmd.add("-cp");
        // no test framework on the class path: Chronicle keeps quiet under JUnit, and this must not rely on it
        cmd.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.contains("junit") && !e.contains("opentest4j") && !e.contains("surefire") && !e.contains("apiguardian"))
                .collect(Collectors.joining(File.pathSeparator)));
        cmd.add(QueueMains.UseQueue.class.getName());
        cmd.add("exit");
        assertThat(String.join(" ", cmd)).doesNotContain("chronicle.analytics");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("got 42").as("set by the library itself").contains("analytics.disable=true");
        try (Stream<Path> files = Files.walk(home)) {
            assertThat(files.filter(f -> !f.equals(home)).map(f -> home.relativize(f).toString()))
                    .as("files written under the home directory").noneMatch(n -> n.startsWith(".chronicle"));
        }
    }

    @Test
    void shouldLoadNoChronicleClassToAttachAQueueOrAskItsSize() throws Exception {
        JvmRun run = JvmRun.start(Duration.ofSeconds(60), List.of("-Xlog:class+load=info"), QueueMains.AttachThenUse.class);
        assertThat(run.await()).as(run.stderr()).isZero();
        String out = run.stdout();
        assertThat(out).contains("sizes 0 true false 3");
        String beforeUse = out.substring(0, out.indexOf("\nattached"));
        String afterUse = out.substring(out.indexOf("\nattached"));
        assertThat(beforeUse).contains("io.mp4j.ipc.queue.Queue ").doesNotContain("net.openhft");
        assertThat(afterUse).as("the check can see Chronicle classes").contains("net.openhft.chronicle").contains("got 1");
    }
}
