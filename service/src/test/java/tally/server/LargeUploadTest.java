package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.BookmarkGenerator;

/**
 * 200 MB through a server JVM limited to a 256 MiB heap: it can only succeed if the body is
 * streamed (the input alone is most of the heap, and the rows are sorted under the same heap).
 * The data is generated while it is sent and never stored by the test.
 */
@Tag("async")
class LargeUploadTest {
    static final long SIZE = 200L * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void a_200_megabyte_upload_streams_through_a_256_megabyte_heap() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, "256m")) {
            ApiClient api = new ApiClient(server.baseUri());
            AtomicLong sent = new AtomicLong();
            InputStream generated = new FilterInputStream(new BookmarkGenerator(6).stream(SIZE)) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        sent.addAndGet(n);
                    }
                    return n;
                }
            };

            long start = System.nanoTime();
            HttpResponse<String> response = api.send(api.request("/api/datasets?name=large")
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> generated)).build());
            double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(response.statusCode()).as(response.body() + "\n" + server.log()).isEqualTo(201);
            JsonNode counters = api.json(response).get("counters");
            assertThat(sent.get()).isGreaterThanOrEqualTo(SIZE - 4096);
            assertThat(counters.get("bytes").asLong()).isEqualTo(sent.get());
            assertThat(counters.get("lines").asLong()).isEqualTo(counters.get("kept").asLong()
                    + counters.get("no_tags").asLong() + counters.get("skipped").asLong());
            assertThat(counters.get("kept").asLong()).isGreaterThan(100_000);
            System.out.printf("uploaded %d bytes in %.2f s: %.0f MB/s%n", sent.get(), seconds, sent.get() / seconds / 1e6);

            HttpResponse<InputStream> rows = api.http.send(api.request("/api/datasets/"
                    + api.json(response).get("id").asText() + "/rows.tsv").build(), HttpResponse.BodyHandlers.ofInputStream());
            long rowLines = 0;
            try (InputStream in = rows.body()) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            rowLines++;
                        }
                    }
                }
            }
            assertThat(rowLines).isEqualTo(counters.get("kept").asLong());
        }
    }
}
