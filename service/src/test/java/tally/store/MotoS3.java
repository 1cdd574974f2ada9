package tally.store;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 emulator for the service's store tests: {@code moto_server} on a free loopback port,
 * started once per test run (the service's tests have no Docker fallback; the deploy module's
 * MotoServer has one). Without moto the tests are skipped, unless {@code TALLY_REQUIRE_MOTO=1} (the
 * pipeline's deploy-tests stage), which makes them fail. Each test takes a fresh bucket from
 * {@link Emulator#newStore}, so tests never see each other's objects.
 */
public final class MotoS3 implements BeforeAllCallback, ParameterResolver {
    private static final String KEY = "tally.moto.s3";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    /** The credentials moto accepts, for child JVMs (the in-process SDK reads the system properties). */
    public static final Map<String, String> CHILD_ENV = Map.of("AWS_ACCESS_KEY_ID", "tally-test",
            "AWS_SECRET_ACCESS_KEY", "tally-test", "AWS_REGION", "us-east-1");

    /** The running emulator; stopped by JUnit when the run ends. */
    public static final class Emulator implements ExtensionContext.Store.CloseableResource {
        private final URI endpoint;
        private final Process process;
        private final S3Client client;

        Emulator(URI endpoint, Process process) {
            this.endpoint = endpoint;
            this.process = process;
            this.client = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true)
                    .region(Region.US_EAST_1).requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("tally-test",
                            "tally-test")))
                    .build();
        }

        public URI endpoint() {
            return endpoint;
        }

        /** A client of the emulator, to look at a store from outside. */
        public S3Client client() {
            return client;
        }

        /** A new empty bucket; the store's location in it is {@code s3://BUCKET/data/test/}. */
        public S3Location newStore() {
            String bucket = "tally-" + BUCKETS.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36)
                    .toLowerCase(Locale.ROOT);
            client.createBucket(b -> b.bucket(bucket));
            return new S3Location(bucket, "data/test/");
        }

        /** Every key in the bucket of {@code store}. */
        public List<String> keys(S3Location store) {
            List<String> keys = new ArrayList<>();
            client.listObjectsV2Paginator(b -> b.bucket(store.bucket())).contents().stream().map(S3Object::key)
                    .forEach(keys::add);
            return keys;
        }

        /** Every multipart upload left open in the bucket of {@code store}. */
        public List<String> openUploads(S3Location store) {
            return client.listMultipartUploads(b -> b.bucket(store.bucket())).uploads().stream()
                    .map(MultipartUpload::key).toList();
        }

        @Override
        public void close() throws Exception {
            client.close();
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Emulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return emulator(context);
    }

    public static Emulator emulator(ExtensionContext context) {
        // The SDK's default credential chain reads these in this JVM; moto accepts any key.
        System.setProperty("aws.accessKeyId", "tally-test");
        System.setProperty("aws.secretAccessKey", "tally-test");
        System.setProperty("aws.region", "us-east-1");
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> start(), Emulator.class);
    }

    private static Emulator start() {
        if (!onPath("moto_server")) {
            String reason = "moto_server is not on PATH (pip install 'moto[server]')";
            if ("1".equals(System.getenv("TALLY_REQUIRE_MOTO"))) {
                throw new IllegalStateException("TALLY_REQUIRE_MOTO=1 but " + reason);
            }
            Assumptions.abort(reason);
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path log = Files.createDirectories(Path.of("target")).resolve("moto-s3-" + port + ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI uri = URI.create("http://127.0.0.1:" + port);
            awaitAnswer(uri, process, log);
            return new Emulator(uri, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server: " + e.getMessage(), e);
        }
    }

    private static void awaitAnswer(URI uri, Process process, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited; see " + log.toAbsolutePath());
            }
            try {
                http.send(HttpRequest.newBuilder(uri.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer within 60 s; see " + log.toAbsolutePath());
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
