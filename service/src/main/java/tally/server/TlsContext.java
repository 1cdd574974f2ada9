package tally.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS context from {@code --tls-cert} (a PEM chain, the server's certificate first, as a
 * CA hands it out) and {@code --tls-key}, as bytes read by {@link PemLocation} from a file or S3. A key that does not belong to the certificate is refused
 * here, at start, naming both files: otherwise the server would start and every handshake would fail.
 */
final class TlsContext {
    private TlsContext() {
    }

    /**
     * The context from the PEM bytes of a certificate chain and its key, wherever they were read from
     * ({@code certFile} and {@code keyFile} name the places in messages: a path or {@code s3://BUCKET/KEY}).
     */
    static SSLContext load(byte[] certPem, String certFile, byte[] keyPem, String keyFile) {
        List<X509Certificate> chain = certificates(new String(certPem, StandardCharsets.US_ASCII), certFile);
        PrivateKey key = PemKey.read(new String(keyPem, StandardCharsets.US_ASCII), keyFile);
        X509Certificate leaf = chain.get(0);
        if (!belongTogether(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("the private key " + keyFile + " does not match the certificate "
                    + certFile + " (" + leaf.getSubjectX500Principal().getName() + "): give the key the certificate was "
                    + "made for; `openssl x509 -noout -pubkey -in CERT` and `openssl pkey -pubout -in KEY` print the "
                    + "same public key when they match");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("tally", key, password, chain.toArray(new Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("could not set up TLS with " + certFile + " and " + keyFile + ": "
                    + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String pem, String file) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : Pem.blocks(pem, "CERTIFICATE", file)) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no certificate: --tls-cert wants PEM (-----BEGIN "
                    + "CERTIFICATE-----), the server's certificate first, then any intermediates");
        }
        return chain;
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}: a signature made with the one verifies
     * with the other. This works for every key type alike; comparing public keys would need the public
     * point of an EC key, which the JDK does not derive from the private one.
     */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] message = "tally key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
