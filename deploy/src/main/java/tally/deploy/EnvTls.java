package tally.deploy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The TLS certificate and key of one environment: {@code envs/ENV/tls/cert.pem} and {@code key.pem} beside
 * its history, encrypted at rest (SSE-S3). A release whose environment has {@code cert.pem} starts the
 * service with {@code --tls-cert} and {@code --tls-key} pointing there; the instances read both once, at
 * start, through their instance profile, so a new certificate counts from the next release.
 *
 * <p>The key is written before the certificate and removed after it: {@code cert.pem} is what says "this
 * environment has TLS", so a release never finds a certificate without its key.
 */
public final class EnvTls {
    /** A PEM private key as {@code openssl} writes them: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN (PRIVATE|RSA PRIVATE|EC PRIVATE) KEY-----\\s+[A-Za-z0-9+/=\\s]+-----END \\1 KEY-----");

    private final S3Client s3;
    private final String bucket;
    private final String env;

    public EnvTls(S3Client s3, String bucket, String env) {
        this.s3 = s3;
        this.bucket = bucket;
        this.env = Fleet.checkEnv(env);
    }

    /** The folder of both files, as the instance profile's policy allows it. */
    static String prefix(String env) {
        return "envs/" + env + "/tls/";
    }

    static String certKey(String env) {
        return prefix(env) + "cert.pem";
    }

    static String keyKey(String env) {
        return prefix(env) + "key.pem";
    }

    /** What the instances are started with as {@code --tls-cert}. */
    public String certLocation() {
        return "s3://" + bucket + "/" + certKey(env);
    }

    /** What the instances are started with as {@code --tls-key}. */
    public String keyLocation() {
        return "s3://" + bucket + "/" + keyKey(env);
    }

    /** Uploads both, the key first; {@code cert} and {@code key} were checked by {@link #certificate} and {@link #checkKey}. */
    public void put(byte[] cert, byte[] key) {
        write(keyKey(env), key);
        write(certKey(env), cert);
    }

    private void write(String key, byte[] pem) {
        AwsErrors.during("write s3://" + bucket + "/" + key, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                .contentType("application/x-pem-file").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(pem)));
    }

    /** Deletes both, the certificate first; returns whether the environment had one. */
    public boolean remove() {
        boolean had = read().isPresent();
        AwsErrors.during("delete " + certLocation(), () -> s3.deleteObject(b -> b.bucket(bucket).key(certKey(env))));
        AwsErrors.during("delete " + keyLocation(), () -> s3.deleteObject(b -> b.bucket(bucket).key(keyKey(env))));
        return had;
    }

    /** The environment's certificate (the first of {@code cert.pem}), or empty for an environment on plain HTTP. */
    public Optional<X509Certificate> read() {
        byte[] pem = AwsErrors.during("read " + certLocation(), () -> {
            try {
                return s3.getObjectAsBytes(b -> b.bucket(bucket).key(certKey(env))).asByteArray();
            } catch (NoSuchKeyException e) {
                return null;
            }
        });
        return pem == null ? Optional.empty() : Optional.of(certificate(pem, certLocation()));
    }

    /**
     * The first certificate of a PEM chain; a usage error naming {@code source} if there is none, it cannot be
     * parsed as X.509, or it is expired or not valid yet.
     */
    static X509Certificate certificate(byte[] pem, String source) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new DeployException(source + " holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the"
                    + " server's certificate first, then any intermediates", 2, null);
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new DeployException(source + " is not an X.509 certificate in PEM: " + e.getMessage(), 2, e);
        }
        try {
            cert.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new DeployException(source + " (" + cert.getSubjectX500Principal().getName() + ") is valid from "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + " only", 2, e);
        }
        return cert;
    }

    /** A usage error naming {@code source} unless {@code pem} looks like an unencrypted PEM private key. */
    static void checkKey(byte[] pem, String source) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (text.contains("ENCRYPTED")) {
            throw new DeployException(source + " is an encrypted private key: the service cannot ask for its"
                    + " passphrase; `openssl pkey -in KEY -out key.pem` writes it unencrypted", 2, null);
        }
        if (!PRIVATE_KEY.matcher(text).find()) {
            throw new DeployException(source + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, RSA"
                    + " PRIVATE KEY or EC PRIVATE KEY)", 2, null);
        }
    }
}
