package io.mp4j.ipc.connection;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client}. Made by
 * {@code ctx.client(address)}, which uses the context's authentication key.
 * <pre>{@code
 * try (Connection c = Client.connect(UnixDomainSocketAddress.of(path), authkey)) {
 *     System.out.println(c.recv());
 * }
 * }</pre>
 * The two sides prove to each other that they know the key (see {@link Listener}); the wire protocol is
 * Python's, so a Java client can talk to a Python {@code Listener} with {@code sendBytes}/{@code recvBytes}.
 */
public final class Client {
    private Client() {}

    /**
     * {@link #connect(SocketAddress, byte[], Supplier)} for a connection that stays in this process.
     *
     * @param address where a listener listens
     * @param authkey the key to prove
     * @return an authenticated connection
     * @throws IOException as {@link #connect(SocketAddress, byte[], Supplier)}
     */
    public static Connection connect(SocketAddress address, byte[] authkey) throws IOException {
        return connect(address, authkey, null);
    }

    /**
     * Connects and authenticates.
     *
     * @param shareDir where the connection is handed to other processes from ({@code null}: it cannot travel)
     * @throws java.net.ConnectException when nobody listens at {@code address}
     * @throws AuthenticationException when the listener refuses our key, does not prove it knows it, or does not
     *         complete the handshake within 30 s
     * @throws IllegalArgumentException for an address that is not local
     * @param address where a listener listens
     * @param authkey the key to prove
     * @return an authenticated connection
     */
    public static Connection connect(SocketAddress address, byte[] authkey, Supplier<Path> shareDir) throws IOException {
        return connect(address, authkey, shareDir, false);
    }

    /**
     * Connects to a {@link Listener#network} listener on any IPv4 address (another machine's), and
     * authenticates; the connection stays in this process. Otherwise as {@link #connect(SocketAddress, byte[])}.
     *
     * @param address the listener's IPv4 address and port
     * @param authkey the key peers must prove
     * @return the connection, authenticated
     * @throws IOException when nobody listens at the address or the connection fails
     */
    public static Connection connectNetwork(java.net.InetSocketAddress address, byte[] authkey) throws IOException {
        return connect(address, authkey, null, true);
    }

    private static Connection connect(SocketAddress address, byte[] authkey, Supplier<Path> shareDir, boolean network) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(authkey, "authkey");
        Connection c = Connection.wrap(Sockets.connect(address, network), true, true, shareDir);
        try (Handshake.Deadline deadline = new Handshake.Deadline(c)) {
            return Handshake.authenticate(c, authkey, false, deadline, "authentication with " + address);
        }
    }
}
