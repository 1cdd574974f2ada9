package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.BookmarkGenerator;
import tally.store.S3DatasetStore;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * The service as its own JVM on an S3 store (moto): bounded memory while streaming to multipart
 * uploads, and a kill -9 in the middle of one, seen from another server on the same store.
 */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class S3ProcessTest {
    static final long LARGE = 150L * 1024 * 1024;

    @TempDir
    Path dataDir;

    private static List<String> storeOptions(SharedStore store) {
        return List.of("--store", store.location.toString(), "--s3-endpoint", store.moto.endpoint().toString());
    }

    @Test
    void a_150_megabyte_upload_streams_to_s3_through_a_256_megabyte_heap(MotoEmulator moto) throws Exception {
        try (SharedStore store = new SharedStore(moto);
                ServerProcess server = ServerProcess.start(dataDir, "256m", storeOptions(store), MotoServer.CHILD_ENV)) {
            ApiClient api = new ApiClient(server.baseUri());
            InputStream generated = new BookmarkGenerator(6).stream(LARGE);

            long start = System.nanoTime();
            HttpResponse<String> response = api.send(api.request("/api/datasets?name=large")
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated)).build());
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(response.statusCode()).as(response.body() + "\n" + server.log()).isEqualTo(201);
            JsonNode meta = api.json(response);
            assertThat(meta.at("/counters/bytes").asLong()).isGreaterThanOrEqualTo(LARGE - 4096);
            System.out.printf("S3 store: uploaded %d bytes in %.2f s (%.0f MB/s), server peak RSS %s%n",
                    meta.at("/counters/bytes").asLong(), seconds, meta.at("/counters/bytes").asLong() / seconds / 1e6,
                    peakRss(server.pid()));
            assertThat(moto.openUploads(store.location.bucket())).isEmpty();
            HttpResponse<InputStream> rows = api.http.send(api.request("/api/datasets/" + meta.get("id").asText()
                    + "/rows.tsv").build(), HttpResponse.BodyHandlers.ofInputStream());
            long rowBytes;
            try (InputStream in = rows.body()) {
                rowBytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(rowBytes).isEqualTo(meta.at("/sizes/rows_bytes").asLong()).isGreaterThan(5L << 20);
        }
    }

    @Test
    void a_server_killed_mid_upload_leaves_nothing_complete_and_after_the_sweep_nothing_at_all(MotoEmulator moto)
            throws Exception {
        try (SharedStore store = new SharedStore(moto)) {
            TallyServer survivor = store.start();
            ApiClient other = new ApiClient(survivor.baseUri());
            try (ServerProcess doomed = ServerProcess.start(dataDir, "256m", storeOptions(store), MotoServer.CHILD_ENV)) {
                ApiClient api = new ApiClient(doomed.baseUri());
                InputStream endless = new BookmarkGenerator(7).stream(4L << 30);
                CompletableFuture<HttpResponse<String>> upload = api.sendAsync(api.request("/api/datasets/killed")
                        .timeout(Duration.ofMinutes(5)).PUT(HttpRequest.BodyPublishers.ofInputStream(() -> endless))
                        .build());
                Eventually.await("parts of the upload are in S3", Duration.ofMinutes(2),
                        () -> !moto.openUploads(store.location.bucket()).isEmpty());

                doomed.kill();
                assertThat(upload).failsWithin(Duration.ofSeconds(30));
            }

            JsonNode seen = other.json(other.get("/api/datasets/killed"));
            assertThat(seen.get("status").asText()).isIn("in_progress", "failed");
            assertThat(other.get("/api/datasets/killed/rows.tsv").statusCode()).isEqualTo(409);
            Eventually.await("the interrupted upload reads as failed", Duration.ofSeconds(30),
                    () -> other.get("/api/datasets/killed").body().contains("\"status\":\"failed\""));
            assertThat(other.json(other.get("/api/datasets")).at("/datasets/0/reason").asText())
                    .startsWith("interrupted");

            S3DatasetStore shared = (S3DatasetStore) survivor.store();
            Eventually.await("the sweep removed every object and open upload", Duration.ofSeconds(60), () -> {
                shared.sweep();
                String bucket = store.location.bucket();
                return moto.keys(bucket).isEmpty() && moto.openUploads(bucket).isEmpty();
            });
            assertThat(other.get("/api/datasets/killed").statusCode()).isEqualTo(404);
            assertThat(other.send(other.request("/api/datasets/killed")
                    .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build()).statusCode())
                    .as("the id is free again").isEqualTo(201);
        }
    }

    /** VmHWM of a process, for the log (Linux only). */
    static String peakRss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).map(l -> l.substring(6).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
