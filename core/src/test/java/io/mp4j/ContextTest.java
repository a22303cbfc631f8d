package io.mp4j;

import io.mp4j.core.ForkLauncher;
import io.mp4j.testkit.Await;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.forkserver.ForkServerMain;
import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.ipc.connection.Client;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.wire.Frames;
import io.mp4j.worker.forkserver.ForkServerMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Contexts, the default start method, and the fork server's authentication. */
class ContextTest {
    @TempDir
    Path tmp;

    @Test
    void shouldGiveOneContextPerStartMethodAndParsePythonNames() {
        assertThat(Multiprocessing.getContext(StartMethod.SPAWN)).isSameAs(Multiprocessing.getContext("spawn"));
        assertThat(Multiprocessing.getContext("forkserver").startMethod()).isEqualTo(StartMethod.FORKSERVER);
        assertThatThrownBy(() -> StartMethod.parse("vfork")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vfork");
    }

    @Test
    void shouldRejectSettingTheStartMethodTwiceWithoutForce() {
        StartMethod before = Multiprocessing.getStartMethod();
        try {
            assertThatThrownBy(() -> Multiprocessing.setStartMethod(StartMethod.FORK))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already been set");
            Multiprocessing.setStartMethod(StartMethod.THREAD, true);
            assertThat(Multiprocessing.getStartMethod()).isEqualTo(StartMethod.THREAD);
            assertThat(Multiprocessing.getAllStartMethods()).first().isEqualTo(StartMethod.THREAD);
            assertThat(Multiprocessing.getAllStartMethods()).containsExactlyInAnyOrder(StartMethod.values());
        } finally {
            Multiprocessing.setStartMethod(before, true);
        }
    }

    @Test
    void shouldKeepNamedResourcesInAPrivateDirectory() throws IOException {
        Path dir = Multiprocessing.getContext(StartMethod.SPAWN).resourceDir();
        assertThat(dir).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(dir.getFileName().toString()).startsWith("mp4j-" + ProcessHandle.current().pid());
    }

    @Test
    void makingAProcessStartsNoStandbyJvmUntilAStartOrPrewarm() {
        Context fresh = new Context(StartMethod.FORK, Context.newAuthkey());
        fresh.process(ProcessTargets::noop);
        fresh.process(ProcessTargets::noop).setName("never started");
        assertThat(fresh.currentLauncher()).as("no standby JVM for processes that were only made").isNull();
    }

    @Test
    void aChildJvmKnowsItIsAChildAndTheCoordinatorKnowsItIsNot(@TempDir Path dir) throws Exception {
        assertThat(io.mp4j.ipc.ChildFlag.isChild()).isFalse();
        for (StartMethod m : List.of(StartMethod.SPAWN, StartMethod.FORK)) {
            Path f = dir.resolve(m.pythonName());
            MpProcess p = Multiprocessing.getContext(m).process(ProcessTargets::writeChildFlag, f.toString());
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(Files.readString(f)).as(m.name()).isEqualTo("true");
        }
    }

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES) // standbys warm up on idle CPU only
    void shouldHandAStartToAWarmJvmOnceTheContextIsReady() throws Exception {
        Context fork = Multiprocessing.getContext(StartMethod.FORK);
        assertThat(fork.awaitReady(Await.WARM_UP)).isTrue();
        List<Long> standbys = ((ForkLauncher) fork.currentLauncher()).standbyPids();
        assertThat(standbys).hasSize(Math.max(0, Integer.getInteger(ForkLauncher.STANDBY_PROPERTY, 2)));
        MpProcess p = fork.process(ProcessTargets::noop);
        p.start();
        assertThat(standbys).as("the process is a warm standby JVM").contains(p.pid());
        p.join();
        assertThat(p.exitCode()).isZero();

        Context server = Multiprocessing.getContext(StartMethod.FORKSERVER);
        assertThat(server.awaitReady(Await.WARM_UP)).isTrue();
        MpProcess q = server.process(ProcessTargets::exitWith, 3);
        q.start();
        q.join();
        assertThat(q.exitCode()).isEqualTo(3);

        Context spawn = Multiprocessing.getContext(StartMethod.SPAWN);
        assertThat(spawn.awaitReady(Duration.ZERO)).as("nothing to wait for").isTrue();
        assertThat(spawn.awaitReady(Duration.ofSeconds(-1))).as("a negative timeout does not wait").isTrue();
    }

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES) // standbys warm up on idle CPU only
    void shouldReplaceAStandbyThatDiedBeforeGettingATask() throws Exception {
        Context fork = Multiprocessing.getContext(StartMethod.FORK);
        assertThat(fork.awaitReady(Await.WARM_UP)).isTrue();
        ForkLauncher launcher = (ForkLauncher) fork.currentLauncher();
        List<Long> before = launcher.standbyPids();
        org.junit.jupiter.api.Assumptions.assumeFalse(before.isEmpty(), "no standby JVMs configured");
        ProcessHandle victim = ProcessHandle.of(before.get(0)).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        // the launcher learns of the death from its own Process (reaped a moment after the handle's onExit)
        Await.until("a new standby in place of the dead one", () -> {
            try {
                return fork.awaitReady(Duration.ZERO) && !launcher.standbyPids().contains(victim.pid());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Await.WARM_UP);
        assertThat(launcher.standbyPids()).hasSize(before.size());
        MpProcess p = fork.process(ProcessTargets::exitWith, 4);
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(4);
    }

    @Test
    void shouldRefuseAForkServerClientWithTheWrongKey() throws Exception {
        Path socket = tmp.resolve("fs.sock");
        byte[] key = "the right key, 32 bytes long....".getBytes();
        ProcessBuilder pb = new ProcessBuilder(JvmFlags.command(ForkServerMain.class.getName(), List.of(), socket.toString(), "0"));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path errFile = tmp.resolve("server.err");
        pb.redirectError(errFile.toFile());
        Process server = pb.start();
        try {
            Frames.write(server.getOutputStream(), key);
            Frames.write(server.getOutputStream(), ForkServerMessages.spec(io.mp4j.worker.JvmSpec.ofThisJvm(List.of())));
            assertThatThrownBy(() -> handshake(socket, "a wrong key".getBytes()))
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("rejected our digest");
            // the server reports a refusal at its next accept; a good peer that ends its handshake first is served first
            Await.until("the fork server's report of the refusal in " + errFile,
                    () -> readOrEmpty(errFile).contains("refused a connection"), Duration.ofSeconds(60));
            handshake(socket, key); // the server goes on serving after refusing one
            // closing the authenticated connection is the coordinator leaving: the server ends
            assertThat(server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            server.destroyForcibly().waitFor();
        }
        assertThat(Files.readString(errFile)).contains("refused a connection");
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The server binds its socket once its JVM is up: connects as soon as it does, then authenticates and says hello. */
    private static void handshake(Path socket, byte[] key) throws Exception {
        Object connected = Await.until("a connection to the fork server's socket " + socket, () -> tryConnect(socket, key),
                c -> c != null, Duration.ofSeconds(60));
        if (connected instanceof AuthenticationException e) throw e;
        try (Connection c = (Connection) connected) {
            c.sendBytes(ForkServerMessages.hello());
            ForkServerMessages.expectHello(c.recvBytes());
        }
    }

    /** An authenticated connection, the server's refusal, or null while nobody listens yet. */
    private static Object tryConnect(Path socket, byte[] key) {
        try {
            return Client.connect(UnixDomainSocketAddress.of(socket), key);
        } catch (AuthenticationException e) {
            return e;
        } catch (IOException e) {
            return null;
        }
    }
}
