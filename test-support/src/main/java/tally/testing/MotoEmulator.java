package tally.testing;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The running emulator of {@link MotoServer}: where it answers, and a few S3 conveniences for tests that
 * look at a bucket from outside. Each test takes a fresh bucket from {@link #newBucket()}, so tests never
 * see each other's objects. Closed by JUnit when the run ends.
 */
public final class MotoEmulator implements ExtensionContext.Store.CloseableResource {
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final URI endpoint;
    private final AutoCloseable stopper;
    private final S3Client client;

    MotoEmulator(URI endpoint, AutoCloseable stopper) {
        this.endpoint = endpoint;
        this.stopper = stopper;
        this.client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                .region(Region.of(MotoServer.REGION)).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY,
                        MotoServer.ACCESS_KEY)))
                .build();
    }

    /** The emulator's address, for every service: {@code --endpoint-url}, {@code --s3-endpoint}. */
    public URI endpoint() {
        return endpoint;
    }

    /** A client of the emulator's S3 (path-style, the test credentials). */
    public S3Client client() {
        return client;
    }

    /** Creates a new empty bucket with a name no other test of the run uses, and returns the name. */
    public String newBucket() {
        String bucket = "tally-" + BUCKETS.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36)
                .toLowerCase(Locale.ROOT);
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** Every key in {@code bucket}. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    /** The keys of every multipart upload left open in {@code bucket}. */
    public List<String> openUploads(String bucket) {
        return client.listMultipartUploads(b -> b.bucket(bucket)).uploads().stream().map(MultipartUpload::key).toList();
    }

    @Override
    public void close() throws Exception {
        client.close();
        stopper.close();
    }
}
