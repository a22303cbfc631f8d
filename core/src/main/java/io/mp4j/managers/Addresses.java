package io.mp4j.managers;

import io.mp4j.ipc.connection.Client;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Listener;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * A manager's address as text ({@code unix:/path} or {@code tcp:host:port}), and the listening and connecting
 * that go with each kind: a Unix-domain socket, a TCP socket on the loopback, or a TCP socket on an address
 * named explicitly (any IPv4 address, for other machines).
 */
final class Addresses {
    private Addresses() {}

    static String format(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress u) return "unix:" + u.getPath();
        if (a instanceof InetSocketAddress in) return "tcp:" + in.getHostString() + ":" + in.getPort();
        throw new IllegalArgumentException("unsupported manager address (expected a UnixDomainSocketAddress or an InetSocketAddress): address=" + a);
    }

    static SocketAddress parse(String s) {
        if (s.startsWith("unix:")) return UnixDomainSocketAddress.of(Path.of(s.substring(5)));
        if (s.startsWith("tcp:")) {
            int colon = s.lastIndexOf(':');
            if (colon > 4) {
                try {
                    return new InetSocketAddress(s.substring(4, colon), Integer.parseInt(s.substring(colon + 1)));
                } catch (IllegalArgumentException e) {
                    // falls through to the error below
                }
            }
        }
        throw new IllegalArgumentException("not a manager address: address=" + s + " (expected unix:/path or tcp:host:port)");
    }

    /** Checks an address a user gave, before anything starts. */
    static SocketAddress check(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress) return a;
        if (a instanceof InetSocketAddress in) {
            if (in.isUnresolved()) throw new IllegalArgumentException("cannot resolve the manager's host: address=" + a);
            if (!(in.getAddress() instanceof java.net.Inet4Address)) {
                throw new IllegalArgumentException("a manager serves TCP on an IPv4 address only: address=" + a);
            }
            return a;
        }
        throw new IllegalArgumentException("unsupported manager address (expected a UnixDomainSocketAddress or an InetSocketAddress): address=" + a);
    }

    /** The loopback address at {@code port}. */
    static InetSocketAddress loopback(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535: port=" + port);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), port); // IPv4 whatever Java prefers
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a literal address", e);
        }
    }

    static Listener listen(SocketAddress a, byte[] authkey) throws IOException {
        if (a instanceof InetSocketAddress in && !in.getAddress().isLoopbackAddress()) return Listener.network(in, authkey);
        return new Listener(a, authkey);
    }

    static Connection connect(SocketAddress a, byte[] authkey) throws IOException {
        if (a instanceof InetSocketAddress in && !in.isUnresolved() && !in.getAddress().isLoopbackAddress()) {
            return Client.connectNetwork(in, authkey);
        }
        return Client.connect(a, authkey);
    }
}
