package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The manager's server process: the target {@link SyncManager#start()} starts with the context's start method
 * (a thread under THREAD). It binds the address it was given, tells the parent the address it serves on (or why it
 * could not bind) in a reply file, and serves until a {@code SHUTDOWN} request.
 *
 * <p>Its one argument is a configuration ({@code int version, string address, byte[] authkey, string reply file,
 * the registry}) as bytes, a scalar of the codec: a fresh server JVM decodes its launch without Jackson.
 */
final class ServerMain {
    private static final int VERSION = 1;

    private ServerMain() {}

    static byte[] config(SocketAddress address, byte[] authkey, Registry registry, Path replyFile) {
        var bos = new ByteArrayOutputStream(256);
        try (var out = new DataOutputStream(bos)) {
            out.writeInt(VERSION);
            Codec.writeString(out, Addresses.format(address));
            out.writeInt(authkey.length);
            out.write(authkey);
            Codec.writeString(out, replyFile.toString());
            registry.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the manager's configuration: " + e.getMessage(), e);
        }
        return bos.toByteArray();
    }

    /** The process target: serves until shut down. */
    static void serve(byte[] config) throws IOException {
        var in = new DataInputStream(new ByteArrayInputStream(config));
        int version = in.readInt();
        if (version != VERSION) throw new IOException("manager configuration version not compatible: expected=" + VERSION + " found=" + version);
        String address = Codec.readString(in);
        byte[] key = new byte[in.readInt()];
        in.readFully(key);
        Path replyFile = Path.of(Codec.readString(in));
        Server server;
        try {
            Registry registry = Registry.read(in, ServerMain.class.getClassLoader());
            server = Server.bind(Addresses.parse(address), key, registry);
        } catch (IOException | RuntimeException e) {
            reply(replyFile, "error: " + e.getMessage());
            return;
        }
        reply(replyFile, Addresses.format(server.address()));
        server.serveForever();
    }

    /** Writes the reply whole: the parent sees the file only once it is complete (a rename). */
    private static void reply(Path file, String text) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, text);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
