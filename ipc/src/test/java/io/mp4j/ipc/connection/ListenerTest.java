package io.mp4j.ipc.connection;

import io.mp4j.testkit.Background;
import io.mp4j.testkit.Syscall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Listener and Client between threads of one JVM: authentication, addresses, closing. */
class ListenerTest {
    private static final byte[] KEY = {1, 2, 3, 4};

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    private Future<Connection> acceptLater(Listener l) {
        return pool.submit(l::accept);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void shouldConnectAndTalkOverAUnixSocketAndRemoveItsFileOnClose() throws Exception {
        Path sock = dir.resolve("l.sock");
        try (Listener l = new Listener(UnixDomainSocketAddress.of(sock), KEY)) {
            assertThat(l.address()).isEqualTo(UnixDomainSocketAddress.of(sock));
            Future<Connection> accepted = acceptLater(l);
            try (Connection client = Client.connect(l.address(), KEY); Connection server = accepted.get(30, TimeUnit.SECONDS)) {
                client.send("ping");
                assertThat(server.recv()).isEqualTo("ping");
                server.send("pong");
                assertThat(client.recv()).isEqualTo("pong");
                assertThat(client.sendBufferBytes()).isEqualTo(ConnectionTest.expectedSendBuffer());
                assertThat(server.sendBufferBytes()).isEqualTo(ConnectionTest.expectedSendBuffer());
            }
            assertThat(sock).exists();
        }
        assertThat(sock).doesNotExist();
    }

    @Test
    void shouldConnectOverTcpOnTheLoopbackWithThePortItChose() throws Exception {
        try (Listener l = new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY)) {
            int port = ((InetSocketAddress) l.address()).getPort();
            assertThat(port).isPositive();
            Future<Connection> accepted = acceptLater(l);
            try (Connection client = Client.connect(new InetSocketAddress("127.0.0.1", port), KEY);
                 Connection server = accepted.get(30, TimeUnit.SECONDS)) {
                client.sendBytes(new byte[200_000]);
                assertThat(server.recvBytes()).hasSize(200_000);
            }
        }
    }

    @Test
    void shouldRefuseAWrongKeyOnBothSidesAndKeepListening() throws Exception {
        try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("k.sock")), KEY)) {
            Future<Connection> refused = acceptLater(l);
            assertThatThrownBy(() -> Client.connect(l.address(), new byte[]{9, 9})).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("rejected");
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("wrong");
            Future<Connection> accepted = acceptLater(l);
            try (Connection c = Client.connect(l.address(), KEY)) {
                accepted.get(30, TimeUnit.SECONDS).close();
                assertThat(c.isClosed()).isFalse();
            }
        }
    }

    @Test
    void shouldRefuseAListenerThatDoesNotKnowTheKey() throws Exception {
        // the client answers (the listener challenges first), then its own challenge catches the impostor
        try (Listener impostor = new Listener(UnixDomainSocketAddress.of(dir.resolve("i.sock")), new byte[]{7})) {
            Future<Connection> server = acceptLater(impostor);
            assertThatThrownBy(() -> Client.connect(impostor.address(), KEY)).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> server.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void shouldNeverHandAnUnauthenticatedPeerToTheCaller() throws Exception {
        try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("raw.sock")), KEY)) {
            Future<Connection> accepted = acceptLater(l);
            // a peer that connects and speaks without the handshake
            int fd = Sockets.connect(l.address());
            try (Connection raw = Connection.wrap(fd, true, true, null)) {
                assertThat(new String(raw.recvBytes())).startsWith("#CHALLENGE#{sha256}");
                raw.send("let me in");
                assertThatThrownBy(() -> accepted.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthenticationException.class);
                assertThat(new String(raw.recvBytes())).isEqualTo("#FAILURE#");
            }
        }
    }

    @Test
    void shouldRefuseAddressesOutsideTheLocalMachine() {
        assertThatThrownBy(() -> new Listener(new InetSocketAddress("0.0.0.0", 0), KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> new Listener(new InetSocketAddress("8.8.8.8", 0), KEY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Client.connect(new InetSocketAddress("8.8.8.8", 80), KEY)).isInstanceOf(IllegalArgumentException.class);
        String tooLong = dir.resolve("x".repeat(120)).toString();
        assertThatThrownBy(() -> new Listener(UnixDomainSocketAddress.of(tooLong), KEY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 107 bytes");
    }

    @Test
    void shouldReportAnAddressInUseAndNobodyListening() throws Exception {
        Path sock = dir.resolve("busy.sock");
        try (Listener l = new Listener(UnixDomainSocketAddress.of(sock), KEY)) {
            assertThatThrownBy(() -> new Listener(l.address(), KEY)).hasMessageContaining("already in use");
        }
        assertThatThrownBy(() -> Client.connect(UnixDomainSocketAddress.of(sock), KEY)).isInstanceOf(ConnectException.class)
                .hasMessageContaining("nobody listens");
    }

    @Test
    void shouldWakeABlockedAcceptWhenClosed() throws Exception {
        Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("w.sock")), KEY);
        Background<Connection> accepted = Background.call("accepting", l::accept).awaitAsleepIn(Syscall.ACCEPT, Syscall.POLL);
        l.close();
        assertThat(l.isClosed()).isTrue();
        assertThat(accepted.failure()).isInstanceOf(ClosedConnectionException.class);
        assertThatThrownBy(l::accept).isInstanceOf(ClosedConnectionException.class);
        assertThat(Files.exists(dir.resolve("w.sock"))).isFalse();
    }

    /** Connects without speaking the protocol, and reads the listener's challenge: its accept is then in the handshake. */
    private static SocketChannel silentPeerHoldingAChallenge(Listener l) throws Exception {
        SocketChannel raw = SocketChannel.open(l.address());
        ByteBuffer header = ByteBuffer.allocate(4);
        while (header.hasRemaining()) assertThat(raw.read(header)).isNotNegative();
        ByteBuffer challenge = ByteBuffer.allocate(header.getInt(0));
        while (challenge.hasRemaining()) assertThat(raw.read(challenge)).isNotNegative();
        assertThat(new String(challenge.array(), 0, Handshake.CHALLENGE.length, StandardCharsets.US_ASCII)).isEqualTo("#CHALLENGE#");
        return raw;
    }

    @Test
    void shouldDropAPeerThatFallsSilentDuringTheHandshakeAndKeepListening() throws Exception {
        long saved = Handshake.timeoutMillis;
        Handshake.timeoutMillis = 300;
        try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("s.sock")), KEY)) {
            Future<Connection> accepted = acceptLater(l);
            try (SocketChannel raw = silentPeerHoldingAChallenge(l)) {
                assertThatThrownBy(() -> accepted.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("within 300 ms");
                assertThat(raw.read(ByteBuffer.allocate(1))).as("the listener dropped the connection").isEqualTo(-1);
            }
            Future<Connection> next = acceptLater(l);
            try (Connection c = Client.connect(l.address(), KEY)) {
                next.get(30, TimeUnit.SECONDS).close();
            }
        } finally {
            Handshake.timeoutMillis = saved;
        }
    }

    @Test
    void shouldEndAnAcceptThatAuthenticatesASilentPeerWhenTheListenerIsClosed() throws Exception {
        Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("c.sock")), KEY);
        Future<Connection> accepted = acceptLater(l);
        try (SocketChannel raw = silentPeerHoldingAChallenge(l)) {
            l.close();
            assertThatThrownBy(() -> accepted.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ClosedConnectionException.class)
                    .hasMessageContaining("while authenticating");
            assertThat(raw.read(ByteBuffer.allocate(1))).isEqualTo(-1);
        }
    }

    @Test
    void shouldGiveUpOnAListenerThatNeverAnswersTheHandshake() throws Exception {
        long saved = Handshake.timeoutMillis;
        Handshake.timeoutMillis = 300;
        Path sock = dir.resolve("mute.sock");
        try (ServerSocketChannel mute = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            mute.bind(UnixDomainSocketAddress.of(sock));
            Future<SocketChannel> held = pool.submit(mute::accept);
            assertThatThrownBy(() -> Client.connect(UnixDomainSocketAddress.of(sock), KEY)).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("within 300 ms");
            held.get(5, TimeUnit.SECONDS).close();
        } finally {
            Handshake.timeoutMillis = saved;
        }
    }

    @Test
    void shouldBeReadyInWaitWhenAPeerIsWaitingToBeAccepted() throws Exception {
        try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("r.sock")), KEY)) {
            assertThat(Connections.wait(java.util.List.of(l), 10, TimeUnit.MILLISECONDS)).isEmpty();
            CompletableFuture<Connection> client = CompletableFuture.supplyAsync(() -> {
                try {
                    return Client.connect(l.address(), KEY);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            assertThat(Connections.wait(java.util.List.of(l), 30, TimeUnit.SECONDS)).containsExactly(l);
            l.accept().close();
            client.get(30, TimeUnit.SECONDS).close();
        }
    }

    /** Handshakes do not hold each other up: a peer that connects and says nothing delays nobody. */
    @Test
    void shouldAcceptAPeerWithTheKeyWhileAnEarlierPeerStaysSilentInItsHandshake() throws Exception {
        try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("busy-silent.sock")), KEY)) {
            Future<Connection> accepted = acceptLater(l);
            try (SocketChannel silent = silentPeerHoldingAChallenge(l)) {
                Future<Connection> client = pool.submit(() -> Client.connect(l.address(), KEY));
                try (Connection server = accepted.get(5, TimeUnit.SECONDS); Connection c = client.get(5, TimeUnit.SECONDS)) {
                    c.send("after the silent one");
                    assertThat(server.recv()).isEqualTo("after the silent one");
                }
                assertThat(silent.isConnected()).isTrue();
            }
        }
    }

    /** A handshake that ends after its accept returned waits for the next accept, and wait() says so. */
    @Test
    void shouldHoldAPeerAuthenticatedBetweenAcceptsForTheNextAcceptAndBeReadyInWait() throws Exception {
        try (Listener l = new Listener(UnixDomainSocketAddress.of(dir.resolve("two.sock")), KEY)) {
            Future<Connection> accepted = acceptLater(l);
            Future<Connection> a = pool.submit(() -> Client.connect(l.address(), KEY));
            Future<Connection> b = pool.submit(() -> Client.connect(l.address(), KEY));
            Connection first = accepted.get(30, TimeUnit.SECONDS);
            assertThat(Connections.wait(java.util.List.of(l), 30, TimeUnit.SECONDS)).containsExactly(l);
            Connection second = l.accept();
            try (Connection ca = a.get(30, TimeUnit.SECONDS); Connection cb = b.get(30, TimeUnit.SECONDS)) {
                ca.send("a");
                cb.send("b");
                assertThat(java.util.Set.of(first.recv(), second.recv())).containsExactlyInAnyOrder("a", "b");
            } finally {
                first.close();
                second.close();
            }
        }
    }
}
