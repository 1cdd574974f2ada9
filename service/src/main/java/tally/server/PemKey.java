package tally.server;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;

/**
 * A private key from PEM, in the forms OpenSSL writes: PKCS#8 ({@code BEGIN PRIVATE KEY}: what
 * OpenSSL 3 writes for any algorithm), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}: {@code openssl genrsa}
 * before 3.0, and many guides) and SEC1 ({@code BEGIN EC PRIVATE KEY}: {@code openssl ecparam -genkey}).
 * The JDK reads only PKCS#8, so the other two are wrapped in PKCS#8's {@code PrivateKeyInfo} here: a
 * version, an algorithm identifier and the key as an octet string (RFC 5208 section 5), a few bytes of
 * DER. That is all BouncyCastle's PEM reader would do for these, without shipping its 8 MB jar to every
 * instance. An encrypted key is refused with the command that writes it unencrypted.
 */
final class PemKey {
    /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters (RFC 8017 appendix A.1). */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    /** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 section 2.1.1); the curve's OID follows it. */
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private PemKey() {
    }

    /** The key in {@code pem}; {@code source} names the file in errors. */
    static PrivateKey read(String pem, String source) {
        if (pem.contains("ENCRYPTED")) {
            throw new IllegalArgumentException(source + " is an encrypted key, and the server cannot ask for its "
                    + "passphrase: write it unencrypted with `openssl pkey -in KEY -out KEY.plain` and make that "
                    + "file readable by the service's user only");
        }
        byte[] pkcs8;
        if (Pem.has(pem, "PRIVATE KEY")) {
            pkcs8 = Pem.block(pem, "PRIVATE KEY", source);
        } else if (Pem.has(pem, "RSA PRIVATE KEY")) {
            pkcs8 = sequence(VERSION_0, RSA_ALGORITHM, octetString(Pem.block(pem, "RSA PRIVATE KEY", source)));
        } else if (Pem.has(pem, "EC PRIVATE KEY")) {
            byte[] sec1 = Pem.block(pem, "EC PRIVATE KEY", source);
            pkcs8 = sequence(VERSION_0, sequence(EC_PUBLIC_KEY, curveOf(sec1, source)), octetString(sec1));
        } else {
            throw new IllegalArgumentException(source + " holds no private key: expected PEM with BEGIN PRIVATE KEY "
                    + "(PKCS#8), BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY; convert other forms with "
                    + "`openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException ignored) {
                // Not this algorithm: try the next.
            }
        }
        throw new IllegalArgumentException(source + ": the private key could not be read as RSA, EC or EdDSA; "
                + "write it as unencrypted PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
    }

    /**
     * The named curve's OID from a SEC1 {@code ECPrivateKey} (RFC 5915 section 3): {@code SEQUENCE {
     * version, privateKey OCTET STRING, [0] parameters, [1] publicKey }}; OpenSSL always writes [0].
     */
    private static byte[] curveOf(byte[] sec1, String source) {
        int[] outer = Der.header(sec1, 0);
        int at = outer[2];
        int end = at + outer[1];
        while (at < end) {
            int[] field = Der.header(sec1, at);
            if (field[0] == 0xa0) {
                int[] oid = Der.header(sec1, field[2]);
                if (oid[0] == 0x06) {
                    return Arrays.copyOfRange(sec1, field[2], oid[2] + oid[1]);
                }
            }
            at = field[2] + field[1];
        }
        throw new IllegalArgumentException(source + ": the EC key does not name its curve; write it as PKCS#8 "
                + "with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
    }

    private static byte[] octetString(byte[] content) {
        return Der.encode(0x04, content);
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            content.writeBytes(part);
        }
        return Der.encode(0x30, content.toByteArray());
    }
}
