package io.mp4j.ipc.connection;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The digest rules of the handshake, exactly as CPython 3.12's. */
class HandshakeTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.US_ASCII);

    private static byte[] hmac(String alg, byte[] message) throws Exception {
        Mac m = Mac.getInstance(alg);
        m.init(new SecretKeySpec(KEY, alg));
        return m.doFinal(message);
    }

    private static byte[] cat(String prefix, byte[] b) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] r = Arrays.copyOf(p, p.length + b.length);
        System.arraycopy(b, 0, r, p.length, b.length);
        return r;
    }

    @Test
    void shouldComputeEveryDigestsHmacAsJavaxCryptoMacDoesForKeysShorterAndLongerThanItsBlock() throws Exception {
        String[][] digests = {{"md5", "HmacMD5"}, {"sha256", "HmacSHA256"}, {"sha384", "HmacSHA384"},
                {"sha3_256", "HmacSHA3-256"}, {"sha3_384", "HmacSHA3-384"}};
        for (String[] d : digests) {
            for (int keyLength : new int[]{0, 1, 32, 64, 104, 105, 128, 136, 137, 300}) {
                byte[] key = new byte[keyLength];
                for (int i = 0; i < keyLength; i++) key[i] = (byte) (i * 31 + 7);
                byte[] challenge = cat("{" + d[0] + "}", new byte[40]);
                Mac m = Mac.getInstance(d[1]);
                // an empty key is HMAC's all-zero padded key, as one zero byte is (SecretKeySpec refuses an empty one)
                m.init(new SecretKeySpec(keyLength == 0 ? new byte[1] : key, d[1]));
                assertThat(Handshake.response(key, challenge)).as(d[0] + ", key of " + keyLength + " bytes")
                        .isEqualTo(cat("{" + d[0] + "}", m.doFinal(challenge)));
            }
        }
    }

    @Test
    void shouldAnswerAPrefixedChallengeWithTheSameDigestPrefixed() throws Exception {
        byte[] challenge = cat("{sha384}", new byte[40]);
        assertThat(Handshake.response(KEY, challenge)).isEqualTo(cat("{sha384}", hmac("HmacSHA384", challenge)));
        byte[] sha256 = cat("{sha256}", new byte[40]);
        assertThat(Handshake.response(KEY, sha256)).isEqualTo(cat("{sha256}", hmac("HmacSHA256", sha256)));
    }

    @Test
    void shouldAnswerALegacyTwentyByteChallengeWithARawMd5() throws Exception {
        byte[] legacy = new byte[20];
        assertThat(Handshake.response(KEY, legacy)).isEqualTo(hmac("HmacMD5", legacy));
    }

    @Test
    void shouldAcceptEveryAllowedDigestAndARawMd5() throws Exception {
        byte[] message = cat("{sha256}", new byte[40]);
        Handshake.verify(KEY, message, cat("{sha256}", hmac("HmacSHA256", message)));
        Handshake.verify(KEY, message, cat("{md5}", hmac("HmacMD5", message)));
        Handshake.verify(KEY, message, cat("{sha3_256}", hmac("HmacSHA3-256", message)));
        Handshake.verify(KEY, message, cat("{sha3_384}", hmac("HmacSHA3-384", message)));
        Handshake.verify(KEY, message, hmac("HmacMD5", message)); // a Python 3.11 client
    }

    @Test
    void shouldRefuseUnknownDigestsWrongMacsAndWrongLengths() throws Exception {
        byte[] message = cat("{sha256}", new byte[40]);
        assertThatThrownBy(() -> Handshake.verify(KEY, message, cat("{sha1}", hmac("HmacSHA1", message))))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("unsupported");
        byte[] wrong = hmac("HmacSHA256", message);
        wrong[0] ^= 1;
        assertThatThrownBy(() -> Handshake.verify(KEY, message, cat("{sha256}", wrong)))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("wrong");
        assertThatThrownBy(() -> Handshake.verify(KEY, message, cat("{sha256}", new byte[31])))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Handshake.verify(KEY, message, new byte[17])).isInstanceOf(AuthenticationException.class);
    }
}
