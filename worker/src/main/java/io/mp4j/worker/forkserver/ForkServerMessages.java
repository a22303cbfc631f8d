package io.mp4j.worker.forkserver;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;

/**
 * The fork server's messages, encoded and decoded here only. Each is one message of an {@code ipc.connection}
 * connection, authenticated with the library's handshake; the first byte says which. Both sides start with HELLO,
 * which carries the protocol's version; a peer of another version is refused.
 *
 * <pre>
 *   coordinator -> server   HELLO   short version
 *                           SPEC    JvmSpec                        start JVMs with this spec from now on
 *                           START   int requestId, bytes launch    start a process (the launch message of a child)
 *                           REFILL                                 start standbys up to the count now
 *   server -> coordinator   HELLO   short version
 *                           STARTED int requestId, long pid
 *                           FAILED  int requestId, str message     could not start it
 *                           EXITED  long pid, int exitCode         a child ended (Python's convention)
 * </pre>
 */
public final class ForkServerMessages {
    /** The protocol's version, in each side's HELLO. */
    public static final short VERSION = 2;
    /** Either side's first message: the version. */
    public static final byte HELLO = 1;
    /** Coordinator: start a process. */
    public static final byte START = 2;
    /** Coordinator: start standbys up to the count now. */
    public static final byte REFILL = 3;
    /** Server: a process started. */
    public static final byte STARTED = 4;
    /** Server: a process could not start. */
    public static final byte FAILED = 5;
    /** Server: a child ended. */
    public static final byte EXITED = 6;
    /** Coordinator: start JVMs with this spec from now on. */
    public static final byte SPEC = 7;

    private ForkServerMessages() {}

    /**
     * A message as read: its type and fields (those of other types are 0 or null).
     *
     * @param type the message's type
     * @param requestId START, STARTED, FAILED: the coordinator's number for the request
     * @param pid STARTED, EXITED: the child's pid
     * @param exitCode EXITED: its exit status, in Python's convention
     * @param text FAILED: why
     * @param launch START: the child's launch message
     * @param spec SPEC: the JVMs' spec
     */
    public record Message(byte type, int requestId, long pid, int exitCode, String text, byte[] launch, io.mp4j.worker.JvmSpec spec) {
        Message(byte type, int requestId, long pid, int exitCode, String text, byte[] launch) { this(type, requestId, pid, exitCode, text, launch, null); }
    }

    /** {@return a HELLO of this version} */
    public static byte[] hello() { return bytes(b -> b.writeShort(VERSION), HELLO); }

    /**
     * A START.
     *
     * @param requestId the coordinator's number for the request, echoed in STARTED or FAILED
     * @param launch the child's launch message
     * @return the message
     */
    public static byte[] start(int requestId, byte[] launch) {
        return bytes(b -> {
            b.writeInt(requestId);
            b.writeInt(launch.length);
            b.write(launch);
        }, START);
    }

    /**
     * A SPEC: the options and class path of the JVMs the server starts from now on.
     *
     * @param spec the JVMs' spec
     * @return the message
     */
    public static byte[] spec(io.mp4j.worker.JvmSpec spec) { return bytes(spec::write, SPEC); }

    /** {@return a REFILL} */
    public static byte[] refill() { return bytes(b -> { }, REFILL); }

    /**
     * A STARTED.
     *
     * @param requestId the request's number
     * @param pid the child's pid
     * @return the message
     */
    public static byte[] started(int requestId, long pid) {
        return bytes(b -> {
            b.writeInt(requestId);
            b.writeLong(pid);
        }, STARTED);
    }

    /**
     * A FAILED.
     *
     * @param requestId the request's number
     * @param message why the process could not start
     * @return the message
     */
    public static byte[] failed(int requestId, String message) {
        return bytes(b -> {
            b.writeInt(requestId);
            Codec.writeString(b, String.valueOf(message));
        }, FAILED);
    }

    /**
     * An EXITED.
     *
     * @param pid the child's pid
     * @param exitCode its exit status, in Python's convention
     * @return the message
     */
    public static byte[] exited(long pid, int exitCode) {
        return bytes(b -> {
            b.writeLong(pid);
            b.writeInt(exitCode);
        }, EXITED);
    }

    /**
     * Decodes a message.
     *
     * @param bytes the message
     * @return its type and fields
     * @throws IOException for an unknown type, a truncated message, or a HELLO of another version
     */
    public static Message read(byte[] bytes) throws IOException {
        WireBuffer in = new WireBuffer(bytes, bytes.length);
        byte type = in.readByte();
        return switch (type) {
            case HELLO -> {
                short v = in.readShort();
                if (v != VERSION) throw new IOException("fork server protocol version not compatible: expected=" + VERSION + " found=" + v);
                yield new Message(type, 0, 0, 0, null, null);
            }
            case START -> {
                int id = in.readInt();
                byte[] launch = new byte[in.readInt()];
                in.readFully(launch);
                yield new Message(type, id, 0, 0, null, launch);
            }
            case REFILL -> new Message(type, 0, 0, 0, null, null);
            case SPEC -> new Message(type, 0, 0, 0, null, null, io.mp4j.worker.JvmSpec.read(in));
            case STARTED -> new Message(type, in.readInt(), in.readLong(), 0, null, null);
            case FAILED -> new Message(type, in.readInt(), 0, 0, Codec.readString(in), null);
            case EXITED -> new Message(type, 0, in.readLong(), in.readInt(), null, null);
            default -> throw new IOException("unknown fork server message type " + type);
        };
    }

    /**
     * Reads the peer's first message and checks that it is a HELLO of this version.
     *
     * @param bytes the message
     * @throws IOException when it is not a HELLO, or one of another version
     */
    public static void expectHello(byte[] bytes) throws IOException {
        if (read(bytes).type() != HELLO) throw new IOException("the fork server's peer did not begin with HELLO");
    }

    @FunctionalInterface
    private interface Body { void write(WireBuffer b) throws IOException; }

    private static byte[] bytes(Body body, byte type) {
        WireBuffer b = new WireBuffer(64);
        b.writeByte(type);
        try {
            body.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a WireBuffer does not fail
        }
        return b.copy(0, b.size());
    }
}
