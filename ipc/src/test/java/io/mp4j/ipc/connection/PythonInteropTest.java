package io.mp4j.ipc.connection;

import io.mp4j.testkit.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Byte messages and the authentication handshake against CPython's {@code multiprocessing.connection}
 * ({@code src/test/resources/python/peer.py}): the installed python3's own Listener and Client (3.11 speaks
 * the legacy HMAC-MD5 handshake, 3.12+ the {sha256} one), and CPython 3.12's handshake code run by that
 * python3. Skipped, saying so, when python3 is not installed.
 */
class PythonInteropTest {
    private static final byte[] KEY = "secret key".getBytes(StandardCharsets.UTF_8);
    private static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPython() throws Exception {
        boolean found;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import multiprocessing.connection").redirectErrorStream(true).start();
            found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            found = false;
        }
        assumeTrue(found, "python3 (with multiprocessing) is not installed: skipping the Python interoperability tests");
        script = TestFiles.file("peer", ".py");
        try (var in = PythonInteropTest.class.getResourceAsStream("/python/peer.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    @AfterAll
    static void removeScript() {
        TestFiles.delete(script);
    }

    /** A running peer.py, its stdout read line by line. */
    private static final class Peer implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final List<String> lines = new ArrayList<>();

        Peer(String mode, String address, String key) throws IOException {
            process = new ProcessBuilder("python3", "-S", script.toString(), mode, address, key)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        String line() throws IOException {
            String l = out.readLine();
            if (l != null) lines.add(l);
            return l;
        }

        /** The lines after those read, once the peer has exited. */
        List<String> rest() throws Exception {
            while (line() != null) {
                // collect
            }
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return lines;
        }

        SocketAddress readyAddress() throws IOException {
            String l = line();
            assertThat(l).startsWith("ready ");
            String a = l.substring(6);
            return a.startsWith("tcp:") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(a.substring(4)))
                    : UnixDomainSocketAddress.of(a);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("peer.py ended").isTrue();
        }
    }

    /** The Java side of peer.py's talk(): send, receive reversed, refuse a 300-byte message, then take it. */
    private static void talkToPythonListener(Connection c) throws IOException {
        c.sendBytes("hello from java".getBytes());
        assertThat(new String(c.recvBytes())).isEqualTo("avaj morf olleh");
        assertThatThrownBy(() -> c.recvBytes(256)).isInstanceOf(MessageTooLongException.class);
        assertThat(c.recvBytes()).hasSize(300);
        c.sendBytes("bye".getBytes());
    }

    private void javaClientTalksToPythonListener(String mode, String address) throws Exception {
        try (Peer py = new Peer(mode, address, "secret key")) {
            try (Connection c = Client.connect(py.readyAddress(), KEY)) {
                talkToPythonListener(c);
            }
            assertThat(py.rest()).contains("received hello from java", "received bye", "done");
        }
    }

    private void pythonClientTalksToJavaListener(String mode, SocketAddress bind) throws Exception {
        try (Listener l = new Listener(bind, KEY)) {
            String a = l.address() instanceof InetSocketAddress in ? "tcp:" + in.getPort() : l.address().toString();
            try (Peer py = new Peer(mode, a, "secret key"); Connection c = l.accept()) {
                assertThat(new String(c.recvBytes())).isEqualTo("hello from python");
                c.sendBytes("hello from java".getBytes());
                assertThat(py.rest()).contains("received hello from java", "done");
            }
        }
    }

    @Test
    void shouldTalkToPythonsListenerOverAUnixSocket() throws Exception {
        javaClientTalksToPythonListener("listen", dir.resolve("py.sock").toString());
    }

    @Test
    void shouldTalkToPythonsListenerOverTcp() throws Exception {
        javaClientTalksToPythonListener("listen", "tcp:0");
    }

    @Test
    void shouldAcceptPythonsClientOverAUnixSocketAndOverTcp() throws Exception {
        pythonClientTalksToJavaListener("connect", UnixDomainSocketAddress.of(dir.resolve("java.sock")));
        pythonClientTalksToJavaListener("connect", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @Test
    void shouldSpeakCPython312sSha256HandshakeBothWays() throws Exception {
        javaClientTalksToPythonListener("listen312", dir.resolve("py312.sock").toString());
        pythonClientTalksToJavaListener("connect312", UnixDomainSocketAddress.of(dir.resolve("java312.sock")));
    }

    @Test
    void shouldRefuseAWrongKeyOnBothSidesWhenJavaConnectsToPython() throws Exception {
        try (Peer py = new Peer("listen", dir.resolve("py.sock").toString(), "another key")) {
            SocketAddress a = py.readyAddress();
            assertThatThrownBy(() -> Client.connect(a, KEY)).isInstanceOf(AuthenticationException.class);
            assertThat(py.rest()).anyMatch(l -> l.startsWith("auth-error:"));
        }
    }

    @Test
    void shouldRefuseAWrongKeyOnBothSidesWhenPythonConnectsToJava() throws Exception {
        for (String mode : List.of("connect", "connect312")) {
            try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve(mode + ".sock")), KEY);
                 Peer py = new Peer(mode, l.address().toString(), "another key")) {
                assertThatThrownBy(l::accept).isInstanceOf(AuthenticationException.class);
                assertThat(py.rest()).anyMatch(x -> x.startsWith("auth-error:"));
            }
        }
    }
}
