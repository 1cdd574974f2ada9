package tally.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import tally.auth.S3TokenSource;
import tally.store.S3Clients;

/**
 * Where {@code --tls-cert} or {@code --tls-key} is: a file, or an S3 object {@code s3://BUCKET/KEY} (what
 * {@code tally-deploy tls put} writes for an environment), read once at start. A location that cannot be
 * read stops the start with an {@link IOException} naming it.
 */
final class PemLocation {
    private PemLocation() {
    }

    /** Throws IllegalArgumentException if {@code location} looks like S3 but is not {@code s3://BUCKET/KEY}. */
    static void check(String location) {
        if (S3TokenSource.isS3(location)) {
            bucketAndKey(location);
        }
    }

    /** The bytes at {@code location}; an S3 one reached through {@code s3Endpoint} (null for AWS). */
    static byte[] read(String location, URI s3Endpoint) throws IOException {
        if (!S3TokenSource.isS3(location)) {
            try {
                return Files.readAllBytes(Path.of(location));
            } catch (NoSuchFileException e) {
                throw new IOException(location + " does not exist", e);
            }
        }
        String[] bucketAndKey = bucketAndKey(location);
        try (S3Client s3 = S3Clients.create(s3Endpoint)) {
            return s3.getObjectAsBytes(b -> b.bucket(bucketAndKey[0]).key(bucketAndKey[1])).asByteArray();
        } catch (S3Exception e) {
            String reason = e.awsErrorDetails() == null ? String.valueOf(e.getMessage())
                    : e.awsErrorDetails().errorMessage();
            throw new IOException("could not read " + location + ": S3 answered " + e.statusCode() + " (" + reason
                    + ")", e);
        } catch (SdkException e) {
            throw new IOException("could not read " + location + ": " + e.getMessage(), e);
        }
    }

    private static String[] bucketAndKey(String location) {
        try {
            return S3TokenSource.bucketAndKey(location);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a certificate or key in S3 is s3://BUCKET/KEY, with a key that is"
                    + " not a folder; got '" + location + "'", e);
        }
    }
}
