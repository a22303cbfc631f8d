package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.connection.Connection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;

/**
 * The manager's server process: the target {@link SyncManager#start()} starts with the context's start method
 * (a thread under THREAD). It binds the address it was given, tells the parent the address it is served on (or
 * why it could not bind) through a one-way pipe, and serves until a {@code SHUTDOWN} request.
 *
 * <p>Arguments: a configuration ({@code int version, string address, byte[] authkey, the registry}) and the
 * sending end of the pipe.
 */
final class ServerMain {
    private static final int VERSION = 1;

    private ServerMain() {}

    static byte[] config(SocketAddress address, byte[] authkey, Registry registry) {
        var bos = new ByteArrayOutputStream(256);
        try (var out = new DataOutputStream(bos)) {
            out.writeInt(VERSION);
            Codec.writeString(out, Addresses.format(address));
            out.writeInt(authkey.length);
            out.write(authkey);
            registry.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the manager's configuration: " + e.getMessage(), e);
        }
        return bos.toByteArray();
    }

    /** The process target: serves until shut down. */
    static void serve(byte[] config, Connection ready) throws IOException {
        Server server;
        try (ready) {
            try {
                var in = new DataInputStream(new ByteArrayInputStream(config));
                int version = in.readInt();
                if (version != VERSION) throw new IOException("manager configuration version not compatible: expected=" + VERSION + " found=" + version);
                SocketAddress address = Addresses.parse(Codec.readString(in));
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                Registry registry = Registry.read(in, ServerMain.class.getClassLoader());
                server = Server.bind(address, key, registry);
            } catch (IOException | RuntimeException e) {
                ready.send("error: " + e.getMessage());
                return;
            }
            ready.send(Addresses.format(server.address()));
        }
        server.serveForever();
    }
}
