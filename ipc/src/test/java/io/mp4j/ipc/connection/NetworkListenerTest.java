package io.mp4j.ipc.connection;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The explicit opt-in for addresses other than the loopback (a manager served to other machines). */
class NetworkListenerTest {
    private static final byte[] KEY = {7, 7, 7};

    @Test
    void aNetworkListenerOnEveryInterfaceIsReachedOnTheLoopbackAndOnTheMachinesOwnAddress() throws Exception {
        try (Listener l = Listener.network(new InetSocketAddress("0.0.0.0", 0), KEY)) {
            int port = ((InetSocketAddress) l.address()).getPort();
            assertThat(port).isPositive();
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return l.accept();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (Connection c = Client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), KEY);
                 Connection s = accepted.get(30, TimeUnit.SECONDS)) {
                c.send("over the loopback");
                assertThat(s.recv()).isEqualTo("over the loopback");
            }
            Optional<InetAddress> own = ownAddress();
            if (own.isPresent()) {
                InetSocketAddress there = new InetSocketAddress(own.get(), port);
                assertThatThrownBy(() -> Client.connect(there, KEY)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("127.0.0.1");
                CompletableFuture<Connection> next = CompletableFuture.supplyAsync(() -> {
                    try {
                        return l.accept();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (Connection c = Client.connectNetwork(there, KEY); Connection s = next.get(30, TimeUnit.SECONDS)) {
                    c.send("over the machine's address");
                    assertThat(s.recv()).isEqualTo("over the machine's address");
                }
            }
        }
    }

    @Test
    void aNetworkListenerStillRefusesAWrongKeyAndAnythingButIpv4() throws Exception {
        assertThatThrownBy(() -> Listener.network(new InetSocketAddress("::1", 0), KEY)).isInstanceOf(IllegalArgumentException.class);
        try (Listener l = Listener.network(new InetSocketAddress("0.0.0.0", 0), KEY)) {
            int port = ((InetSocketAddress) l.address()).getPort();
            CompletableFuture<String> refused = CompletableFuture.supplyAsync(() -> {
                try {
                    l.accept();
                    return "accepted";
                } catch (AuthenticationException e) {
                    return "refused";
                } catch (java.io.IOException e) {
                    return e.toString();
                }
            });
            assertThatThrownBy(() -> Client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), new byte[]{1}))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(refused.get(30, TimeUnit.SECONDS)).isEqualTo("refused");
        }
    }

    /** An IPv4 address of this machine other than the loopback, if it has one. */
    private static Optional<InetAddress> ownAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) continue;
            for (InetAddress a : Collections.list(n.getInetAddresses())) if (a instanceof Inet4Address) return Optional.of(a);
        }
        return Optional.empty();
    }
}
