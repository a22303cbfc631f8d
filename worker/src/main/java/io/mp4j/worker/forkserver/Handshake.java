package io.mp4j.worker.forkserver;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Mutual HMAC-SHA256 challenge on a shared key, for the fork server's control socket: each side sends a
 * random 32-byte challenge and must answer the other's with {@code HMAC(key, challenge)}; a wrong answer
 * closes the connection before anything else is read. Frames are {@code int length} + bytes.
 */
public final class Handshake {
    private static final byte[] WELCOME = "#WELCOME#".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Handshake() {}

    /** Thrown when the peer does not prove it holds the key. */
    public static final class AuthenticationException extends IOException {
        /**
         * An exception naming why the peer was refused.
         *
         * @param message why
         */
        public AuthenticationException(String message) { super(message); }
    }

    /**
     * The server side: challenge first, then answer.
     *
     * @param in the peer's stream
     * @param out the stream to the peer
     * @param key the shared key
     * @throws IOException when the peer fails the challenge ({@link AuthenticationException}) or the stream fails
     */
    public static void serve(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        challenge(in, out, key);
        answer(in, out, key);
    }

    /**
     * The client side: answer first, then challenge.
     *
     * @param in the peer's stream
     * @param out the stream to the peer
     * @param key the shared key
     * @throws IOException when the peer fails the challenge ({@link AuthenticationException}) or the stream fails
     */
    public static void connect(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        answer(in, out, key);
        challenge(in, out, key);
    }

    private static void challenge(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        writeFrame(out, nonce);
        byte[] response = readFrame(in, 64);
        if (!MessageDigest.isEqual(response, hmac(key, nonce))) {
            writeFrame(out, "#FAILURE#".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            throw new AuthenticationException("the peer's answer to the challenge is wrong: it does not hold the authkey");
        }
        writeFrame(out, WELCOME);
    }

    private static void answer(DataInputStream in, DataOutputStream out, byte[] key) throws IOException {
        byte[] nonce = readFrame(in, 64);
        writeFrame(out, hmac(key, nonce));
        byte[] verdict = readFrame(in, 64);
        if (!MessageDigest.isEqual(verdict, WELCOME)) {
            throw new AuthenticationException("the peer refused our answer: the authkeys differ");
        }
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void writeFrame(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
        out.flush();
    }

    static byte[] readFrame(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max) throw new AuthenticationException("handshake frame of " + n + " bytes (at most " + max + ")");
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
