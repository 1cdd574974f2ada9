package tally.auth;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code --token-file s3://BUCKET/KEY}: the list {@code tally-deploy token create|revoke} keeps for an
 * environment, read every 5 seconds with the ETag of the last read as {@code If-None-Match} (a 304 costs
 * no body). A missing object is an empty list: every request that needs a token is refused, so an
 * environment is closed until its first token is made, and deleting the list closes it again. A read that
 * fails leaves the last list in force.
 */
public final class S3TokenSource implements TokenSource {
    private static final Duration POLL = Duration.ofSeconds(5);
    /** The version of a list that is not there: not a String, so never taken for an ETag. */
    private static final Object MISSING = new Object();

    private final S3Client s3;
    private final String bucket;
    private final String key;

    public S3TokenSource(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    /** Whether {@code location} names an S3 object rather than a file. */
    public static boolean isS3(String location) {
        return location.startsWith("s3://");
    }

    /** {@code s3://BUCKET/KEY}: the bucket, then the key; throws IllegalArgumentException saying what is wrong. */
    public static String[] bucketAndKey(String location) {
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.endsWith("/")) {
            throw new IllegalArgumentException("a token list in S3 is s3://BUCKET/KEY, with a key that is not a"
                    + " folder; got '" + location + "'");
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }

    @Override
    public Fetched fetchIfChanged(Object known) throws IOException {
        try {
            ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> {
                b.bucket(bucket).key(key);
                if (known instanceof String etag) {
                    b.ifNoneMatch(etag);
                }
            });
            String etag = got.response().eTag();
            // An emulator may ignore If-None-Match: the same ETag is the same list either way.
            return Objects.equals(etag, known) ? null
                    : new Fetched(got.asUtf8String(), etag);
        } catch (S3Exception e) {
            if (e.statusCode() == 304) {
                return null;
            }
            if (e.statusCode() == 404) {
                return known == MISSING ? null : new Fetched("", MISSING);
            }
            throw new IOException(describe() + " answered " + e.statusCode() + ": " + message(e), e);
        } catch (SdkException e) {
            throw new IOException(describe() + " is unreachable: " + e.getMessage(), e);
        }
    }

    private static String message(S3Exception e) {
        return e.awsErrorDetails() == null ? String.valueOf(e.getMessage()) : e.awsErrorDetails().errorMessage();
    }

    @Override
    public boolean mayStartUnread() {
        return true;
    }

    @Override
    public Duration pollEvery() {
        return POLL;
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + key;
    }
}
