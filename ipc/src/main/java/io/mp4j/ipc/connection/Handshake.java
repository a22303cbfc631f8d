package io.mp4j.ipc.connection;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mutual HMAC challenge of Python's {@code multiprocessing.connection} (the 3.12 protocol, which also
 * answers and accepts 3.11 and older peers). Each side proves it knows the key without sending it:
 *
 * <ol>
 * <li>The challenger sends {@code #CHALLENGE#} followed by the message {@code {sha256}} + 40 random bytes.
 * <li>The answerer replies with {@code {sha256}} + HMAC-SHA256(key, message) (the MAC covers the
 *     {@code {sha256}} prefix too). A challenge of exactly 20 bytes without a prefix comes from a legacy
 *     peer (Python 3.11 and older): the reply is then the raw 16-byte HMAC-MD5, as that peer expects.
 * <li>The challenger checks the reply and sends {@code #WELCOME#} or {@code #FAILURE#} (then fails).
 * </ol>
 * A listener challenges first and then answers; a client answers first and then challenges.
 *
 * <p><b>Accepted digests</b> (in a reply to our challenge): {@code {md5}}, {@code {sha256}}, {@code {sha384}},
 * {@code {sha3_256}}, {@code {sha3_384}} prefixed HMACs, and a raw 16-byte HMAC-MD5 without a prefix (what a
 * Python 3.11 client sends; it covers our whole prefixed message). Our challenge and our replies use
 * HMAC-SHA256, except the raw HMAC-MD5 reply to a legacy 20-byte challenge. These are exactly the rules of
 * CPython 3.12's {@code _verify_challenge} and {@code _create_response}.
 */
final class Handshake {
    static final byte[] CHALLENGE = ascii("#CHALLENGE#"), WELCOME = ascii("#WELCOME#"), FAILURE = ascii("#FAILURE#");
    private static final int MESSAGE_LENGTH = 40, MD5_ONLY_MESSAGE_LENGTH = 20, MD5_DIGEST_LENGTH = 16;
    private static final int MAX_HANDSHAKE_MESSAGE = 256;
    /** Each digest's name in the JDK and its block size in bytes (HMAC pads the key to it). */
    private record Digest(String jdkName, int blockBytes) {}

    private static final Map<String, Digest> ALGORITHMS = Map.of("md5", new Digest("MD5", 64), "sha256", new Digest("SHA-256", 64),
            "sha384", new Digest("SHA-384", 128), "sha3_256", new Digest("SHA3-256", 136), "sha3_384", new Digest("SHA3-384", 104));
    private static final int MAX_DIGEST_NAME = 8;

    private static final class Random {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    /**
     * How long a peer has to complete the handshake: one that falls silent (a stalled process, or something
     * that connected and speaks no protocol) is dropped after this, rather than holding an {@code accept} or a
     * {@code connect} for good. Python waits without limit. Tests shorten it.
     */
    static volatile long timeoutMillis = 30_000;

    private Handshake() {}

    /**
     * Bounds one side's handshake on {@code c}: when it expires, or is aborted (the listener closed), the connection
     * is closed, which ends a receive blocked in the handshake within {@value Connection#SLICE_MILLIS} ms. Close it
     * when the handshake ended, however it ended; then {@link #failure()} says whether the deadline ended it.
     */
    static final class Deadline implements AutoCloseable {
        private static final int RUNNING = 0, DONE = 1, EXPIRED = 2, ABORTED = 3;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final Connection c;
        private final long millis;
        private final ScheduledFuture<?> timer;

        Deadline(Connection c) {
            this.c = c;
            this.millis = timeoutMillis;
            this.timer = Timer.EXECUTOR.schedule(() -> end(EXPIRED), millis, TimeUnit.MILLISECONDS);
        }

        /** Ends the handshake now (its listener was closed). */
        void abort() { end(ABORTED); }

        private void end(int why) {
            if (state.compareAndSet(RUNNING, why)) c.close();
        }

        /** Why the deadline ended the handshake, or null if it did not (the handshake is then marked done). */
        IOException failure() {
            state.compareAndSet(RUNNING, DONE);
            return switch (state.get()) {
                case EXPIRED -> new AuthenticationException("the peer did not complete authentication within " + millis
                        + " ms: the connection is dropped");
                case ABORTED -> new ClosedConnectionException("the listener was closed while authenticating a peer");
                default -> null;
            };
        }

        @Override
        public void close() {
            state.compareAndSet(RUNNING, DONE);
            timer.cancel(false);
        }
    }

    private static final class Timer {
        static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "mp4j-handshake-deadline");
            t.setDaemon(true);
            return t;
        });

        static {
            EXECUTOR.setRemoveOnCancelPolicy(true);
        }
    }

    /**
     * Runs one side's whole handshake on {@code c} under {@code deadline}: the listener's ({@code challengeFirst})
     * or the client's. On failure {@code c} is closed, and what is thrown is what ended the deadline if it did, else
     * an {@link AuthenticationException} ({@code what} names the side in its message).
     */
    static Connection authenticate(Connection c, byte[] authkey, boolean challengeFirst, Deadline deadline, String what) throws IOException {
        IOException failure;
        try {
            if (challengeFirst) {
                deliverChallenge(c, authkey);
                answerChallenge(c, authkey);
            } else {
                answerChallenge(c, authkey);
                deliverChallenge(c, authkey);
            }
            failure = deadline.failure();
            if (failure == null) return c;
        } catch (IOException | RuntimeException e) {
            failure = deadline.failure();
            if (failure == null) {
                failure = e instanceof AuthenticationException a ? a : new AuthenticationException(what + " failed: " + e.getMessage(), e);
            }
        }
        c.close();
        throw failure;
    }

    /** Sends a challenge and checks the peer's reply. */
    static void deliverChallenge(Connection c, byte[] authkey) throws IOException {
        byte[] random = new byte[MESSAGE_LENGTH];
        Random.RANDOM.nextBytes(random);
        byte[] message = concat(ascii("{sha256}"), random);
        c.sendBytes(concat(CHALLENGE, message));
        byte[] response = receive(c);
        try {
            verify(authkey, message, response);
        } catch (AuthenticationException e) {
            c.sendBytes(FAILURE);
            throw e;
        }
        c.sendBytes(WELCOME);
    }

    /** Answers the peer's challenge. */
    static void answerChallenge(Connection c, byte[] authkey) throws IOException {
        byte[] m = receive(c);
        if (!startsWith(m, CHALLENGE)) {
            throw new AuthenticationException("protocol error: expected a challenge, received " + printable(m));
        }
        byte[] message = Arrays.copyOfRange(m, CHALLENGE.length, m.length);
        if (message.length < MD5_ONLY_MESSAGE_LENGTH) {
            throw new AuthenticationException("challenge too short: " + message.length + " bytes");
        }
        c.sendBytes(response(authkey, message));
        byte[] verdict = receive(c);
        if (!Arrays.equals(verdict, WELCOME)) {
            throw new AuthenticationException("the peer rejected our digest: the authentication keys differ");
        }
    }

    /** The digest name of a challenge or reply ("" for the legacy raw form) and where its payload starts. */
    private record Parsed(String digest, int payloadStart) {}

    private static Parsed parse(byte[] message) throws AuthenticationException {
        if (message.length == MD5_ONLY_MESSAGE_LENGTH || message.length == MD5_DIGEST_LENGTH) return new Parsed("", 0);
        if (message.length > 0 && message[0] == '{') {
            for (int i = 1; i < Math.min(message.length, MAX_DIGEST_NAME + 2); i++) {
                if (message[i] == '}') {
                    String name = new String(message, 1, i - 1, StandardCharsets.US_ASCII);
                    if (ALGORITHMS.containsKey(name)) return new Parsed(name, i + 1);
                    break;
                }
            }
        }
        throw new AuthenticationException("unsupported message length, missing digest prefix, or unsupported digest: "
                + printable(message));
    }

    static byte[] response(byte[] authkey, byte[] message) throws AuthenticationException {
        String digest = parse(message).digest();
        if (digest.isEmpty()) return hmac("md5", authkey, message); // a legacy peer's challenge
        return concat(ascii("{" + digest + "}"), hmac(digest, authkey, message));
    }

    static void verify(byte[] authkey, byte[] message, byte[] response) throws AuthenticationException {
        Parsed p = parse(response);
        String digest = p.digest().isEmpty() ? "md5" : p.digest();
        byte[] expected = hmac(digest, authkey, message);
        byte[] mac = Arrays.copyOfRange(response, p.payloadStart(), response.length);
        if (mac.length != expected.length) {
            throw new AuthenticationException("expected a " + digest + " digest of " + expected.length + " bytes, got " + mac.length);
        }
        if (!MessageDigest.isEqual(expected, mac)) {
            throw new AuthenticationException("the digest received was wrong: the authentication keys differ");
        }
    }

    /**
     * HMAC (RFC 2104) over the JDK's {@code MessageDigest}. Not {@code javax.crypto.Mac}: the first {@code Mac} of a
     * JVM initialises JCE, which costs CPU on a fresh JVM's start path, and whose first URL makes the JDK look for
     * URL handlers on the class path, opening every jar of it (which a warm standby must not hold open).
     */
    private static byte[] hmac(String digest, byte[] key, byte[] message) throws AuthenticationException {
        Digest d = ALGORITHMS.get(digest);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(d.jdkName());
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException("digest " + digest + " is not available: " + e.getMessage(), e);
        }
        byte[] k = key.length > d.blockBytes() ? md.digest(key) : key;
        byte[] pad = new byte[d.blockBytes()];
        for (int i = 0; i < pad.length; i++) pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x36);
        md.update(pad);
        byte[] inner = md.digest(message);
        for (int i = 0; i < pad.length; i++) pad[i] = (byte) ((i < k.length ? k[i] : 0) ^ 0x5c);
        md.update(pad);
        return md.digest(inner);
    }

    private static byte[] receive(Connection c) throws IOException {
        try {
            return c.recvBytes(MAX_HANDSHAKE_MESSAGE);
        } catch (MessageTooLongException e) {
            throw new AuthenticationException("handshake message too long: length=" + e.length() + " bytes, limit=" + MAX_HANDSHAKE_MESSAGE, e);
        } catch (EOFException e) {
            throw new AuthenticationException("the peer closed the connection during authentication (it refused our key, or speaks another protocol)", e);
        }
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    private static String printable(byte[] m) {
        StringBuilder sb = new StringBuilder("b'");
        for (int i = 0; i < Math.min(m.length, 64); i++) {
            int b = m[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\'' && b != '\\') sb.append((char) b);
            else sb.append(String.format("\\x%02x", b));
        }
        return sb.append(m.length > 64 ? "'..." : "'").toString();
    }
}
