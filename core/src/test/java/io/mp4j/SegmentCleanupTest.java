package io.mp4j;

import io.mp4j.testkit.Await;
import io.mp4j.worker.JvmFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No segment or socket file outlives the coordinator that made it: a coordinator JVM makes shared objects, a
 * listener and a shared pipe end, prints its context directory, and then exits normally, dies of an exception,
 * or is killed with SIGKILL.
 */
class SegmentCleanupTest {

    /** The coordinator: {@code exit}, {@code throw} or {@code hang} after making segments. */
    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
        var v = ctx.value('i', 1);
        var a = ctx.array('d', 8);
        var l = ctx.lock();
        var shm = ctx.sharedMemory("cleanup", true, 64);
        v.getLock().lock(); // held at death
        var listener = ctx.listener(); // a socket file
        var pipe = ctx.pipe();
        io.mp4j.ipc.codec.Codec.encode(pipe.first(), io.mp4j.ipc.connection.Connection.class); // starts the sharer's socket
        System.out.println(ctx.resourceDir());
        System.out.flush();
        System.in.read(); // the test has looked at the directory
        switch (args[0]) {
            case "exit" -> { }
            case "throw" -> throw new IllegalStateException("coordinator failed on purpose");
            default -> Thread.sleep(60_000); // behaviour: waits to be killed
        }
        if (a.length() + shm.size() < 0 || l == null || listener == null || pipe == null) System.out.println("unreachable");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit", "throw", "kill"})
    void shouldLeaveNoSegmentBehindWhenTheCoordinatorEnds(String how) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaExecutable());
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                SegmentCleanupTest.class.getName(), how));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path dir;
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            dir = Path.of(out.readLine());
            assertThat(dir.getFileName().toString()).startsWith("mp4j-" + p.pid());
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()).toList())
                        .anyMatch(n -> n.startsWith("value-")).anyMatch(n -> n.startsWith("array-"))
                        .anyMatch(n -> n.startsWith("lock-")).contains("shm-cleanup")
                        .anyMatch(n -> n.startsWith("listener-") && n.endsWith(".sock"))
                        .anyMatch(n -> n.startsWith("share-") && n.endsWith(".sock"));
            }
            if (how.equals("kill")) p.destroyForcibly(); // SIGKILL
            else {
                p.getOutputStream().write('\n');
                p.getOutputStream().flush();
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isEqualTo(switch (how) { case "exit" -> 0; case "throw" -> 1; default -> 137; });
        Await.until("the tracker to remove " + dir, () -> !Files.exists(dir));
    }
}
