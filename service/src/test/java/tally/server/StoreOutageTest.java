package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/** The S3 endpoint stops answering mid-run, then comes back. */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class StoreOutageTest {
    private static final Duration NOTICED = Duration.ofSeconds(30);

    @Test
    void an_unreachable_store_makes_the_server_unready_and_answer_503_until_it_is_back_with_nothing_lost(
            MotoEmulator moto) throws IOException {
        try (TcpGate gate = new TcpGate(moto.endpoint()); SharedStore store = new SharedStore(moto, gate.uri())) {
            ApiClient api = store.client();
            HttpResponse<String> before = api.postLines("before", Bookmarks.MIXED);
            assertThat(before.statusCode()).isEqualTo(201);
            String id = api.json(before).get("id").asText();

            gate.cut();

            Eventually.await("/readyz answers 503", NOTICED, () -> api.get("/readyz").statusCode() == 503);
            HttpResponse<String> ready = api.get("/readyz");
            assertThat(ready.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(ready.body()).contains("dataset store", store.location.bucket());
            HttpResponse<String> upload = api.postLines("during", Bookmarks.MIXED);
            assertThat(upload.statusCode()).isEqualTo(503);
            assertThat(upload.headers().firstValue("Retry-After")).contains("5");
            assertThat(api.json(upload).get("detail").asText()).contains("dataset store", "retry shortly");
            HttpResponse<String> read = api.get("/api/datasets/" + id);
            assertThat(read.statusCode()).isEqualTo(503);
            assertThat(api.json(read).get("detail").asText()).contains("dataset store");
            assertThat(api.get("/healthz").statusCode()).as("alive, only not ready").isEqualTo(200);

            gate.mend();

            Eventually.await("/readyz answers 200 again", NOTICED, () -> api.get("/readyz").statusCode() == 200);
            assertThat(api.get("/api/datasets/" + id + "/rows.tsv").body()).isEqualTo(Bookmarks.MIXED_ROWS);
            assertThat(api.postLines("after", Bookmarks.MIXED).statusCode()).isEqualTo(201);
            assertThat(api.json(api.get("/api/datasets")).get("datasets")).hasSize(2);
        }
    }
}
