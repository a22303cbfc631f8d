package io.mp4j;

import io.mp4j.ipc.connection.Client;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.wire.Frames;
import io.mp4j.testkit.Await;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.JvmSpec;
import io.mp4j.worker.forkserver.ForkServerMain;
import io.mp4j.worker.forkserver.ForkServerMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fork server starts the JVM of the coordinator's first START as it starts, with the spec it is given on standard
 * input, before it listens: that JVM's start overlaps the server's own and the handshake. A first spec that differs
 * kills it, and so does the server's end.
 */
class ForkServerEarlyJvmTest {
    private static final byte[] KEY = "the right key, 32 bytes long....".getBytes();

    @TempDir
    Path tmp;

    @Test
    void theServerStartsTheFirstJvmBeforeAnyoneConnectsAndKillsItWhenTheCoordinatorSendsAnotherSpec() throws Exception {
        Path socket = tmp.resolve("fs.sock");
        Process server = startServer(socket, JvmSpec.ofThisJvm(List.of()));
        try {
            ProcessHandle early = Await.until("the server's first JVM, started before any connection",
                    () -> server.children().findFirst().orElse(null), h -> h != null, Duration.ofSeconds(60));
            try (Connection c = connect(socket)) {
                JvmSpec other = JvmSpec.ofThisJvm(List.of("-Dmp4j.test.otherSpec=1"));
                c.sendBytes(ForkServerMessages.spec(other));
                assertThat(early.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS).isAlive())
                        .as("the JVM started with a spec that is no longer the coordinator's").isFalse();
            }
            assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the server ends with its coordinator").isTrue();
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void theServersEndKillsTheFirstJvmWhenNoStartTookIt() throws Exception {
        Path socket = tmp.resolve("fs.sock");
        JvmSpec spec = JvmSpec.ofThisJvm(List.of());
        Process server = startServer(socket, spec);
        try {
            ProcessHandle early = Await.until("the server's first JVM", () -> server.children().findFirst().orElse(null),
                    h -> h != null, Duration.ofSeconds(60));
            try (Connection c = connect(socket)) {
                c.sendBytes(ForkServerMessages.spec(spec));   // the same spec: the JVM stays for a START
                assertThat(early.isAlive()).isTrue();
            }
            assertThat(server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(early.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor();
        }
    }

    /** A fork server on {@code socket} given the key and {@code spec} on its standard input, as the coordinator does. */
    private static Process startServer(Path socket, JvmSpec spec) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(JvmFlags.command(ForkServerMain.class.getName(), List.of(), socket.toString(), "0"));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process server = pb.start();
        Frames.write(server.getOutputStream(), KEY);
        Frames.write(server.getOutputStream(), ForkServerMessages.spec(spec));
        server.getOutputStream().flush();
        return server;
    }

    /** Connects once the server listens, authenticates and says hello. */
    private static Connection connect(Path socket) throws Exception {
        Connection c = Await.until("a connection to the fork server's socket " + socket, () -> {
            try {
                return Client.connect(UnixDomainSocketAddress.of(socket), KEY);
            } catch (IOException e) {
                return null;
            }
        }, x -> x != null, Duration.ofSeconds(60));
        c.sendBytes(ForkServerMessages.hello());
        ForkServerMessages.expectHello(c.recvBytes());
        return c;
    }
}
