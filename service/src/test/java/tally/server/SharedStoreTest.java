package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tally.http.Json;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/** Several servers on one S3 store (moto), as the instances of a fleet behind a load balancer. */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class SharedStoreTest {
    private final SharedStore store;

    SharedStoreTest(MotoEmulator moto) {
        this.store = new SharedStore(moto);
    }

    @AfterEach
    void stop() throws IOException {
        store.close();
    }

    private static String body(ApiClient api, String path) {
        HttpResponse<String> response = api.get(path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void a_dataset_uploaded_on_one_server_is_served_the_same_by_another_and_deleted_everywhere() throws IOException {
        ApiClient a = store.client();
        ApiClient b = store.client();

        HttpResponse<String> created = a.postLines("shared", Bookmarks.MIXED);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = a.json(created).get("id").asText();

        assertThat(body(b, "/api/datasets/" + id + "/rows.tsv")).isEqualTo(Bookmarks.MIXED_ROWS);
        assertThat(body(b, "/api/datasets/" + id + "/input")).isEqualTo(Bookmarks.MIXED);
        assertThat(b.json(b.get("/api/datasets/" + id))).isEqualTo(a.json(created));
        JsonNode listed = b.json(b.get("/api/datasets")).get("datasets");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0)).isEqualTo(a.json(created));
        assertThat(body(b, "/datasets/" + id)).contains("shared");

        HttpResponse<String> deleted = b.send(b.request("/api/datasets/" + id).DELETE().build());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(a.get("/api/datasets/" + id).statusCode()).isEqualTo(404);
        assertThat(a.get("/api/datasets/" + id + "/rows.tsv").statusCode()).isEqualTo(404);
        assertThat(a.json(a.get("/api/datasets")).get("datasets")).isEmpty();
        ApiClient later = store.client();
        assertThat(later.get("/api/datasets/" + id).statusCode()).isEqualTo(404);
        assertThat(later.json(later.get("/api/datasets")).get("datasets")).isEmpty();
        assertThat(store.moto.keys(store.location.bucket())).isEmpty();
    }

    @Test
    void two_servers_taking_the_same_put_at_once_answer_one_201_and_one_409() throws IOException {
        ApiClient a = store.client();
        ApiClient b = store.client();
        GatedBody first = new GatedBody();
        CompletableFuture<HttpResponse<String>> onA = a.sendAsync(a.request("/api/datasets/same-id")
                .PUT(first.publisher()).build());
        first.send(Bookmarks.SPEC_LINE.getBytes(StandardCharsets.UTF_8));
        // A holds the id (its claim) while its body is still coming; B is asked for the same id.
        Eventually.await("A has started the upload", ApiClient.TIMEOUT,
                () -> a.get("/api/datasets/same-id").statusCode() == 200);
        CompletableFuture<HttpResponse<String>> onB = b.sendAsync(b.request("/api/datasets/same-id")
                .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());
        HttpResponse<String> second = ApiClient.await(onB);
        first.send(Bookmarks.EARLIER_LINE.getBytes(StandardCharsets.UTF_8));
        first.end();
        HttpResponse<String> winner = ApiClient.await(onA);

        assertThat(List.of(winner.statusCode(), second.statusCode())).containsExactly(201, 409);
        assertThat(second.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(second.body()).contains("same-id");
        assertThat(body(b, "/api/datasets/same-id/rows.tsv")).isEqualTo(Bookmarks.EARLIER_ROW + Bookmarks.SPEC_ROW);
    }

    @Test
    void puts_racing_on_two_servers_with_no_head_start_still_give_exactly_one_dataset() throws IOException {
        ApiClient a = store.client();
        ApiClient b = store.client();
        for (int round = 0; round < 5; round++) {
            String path = "/api/datasets/race-" + round;
            CompletableFuture<HttpResponse<String>> onA = a.sendAsync(a.request(path)
                    .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());
            CompletableFuture<HttpResponse<String>> onB = b.sendAsync(b.request(path)
                    .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());
            List<Integer> statuses = List.of(ApiClient.await(onA).statusCode(), ApiClient.await(onB).statusCode());
            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(201, 409);
        }
        assertThat(a.json(a.get("/api/datasets")).get("datasets")).hasSize(5);
    }

    @Test
    void a_watcher_on_one_server_gets_the_final_state_of_an_upload_on_another() throws IOException {
        ApiClient a = store.client();
        ApiClient b = store.client();
        SocketProbe probe = SocketProbe.connect(b.http, b.base, "/ws/datasets/elsewhere");
        assertThat(Json.mapper().readTree(probe.next()).get("state").asText()).isEqualTo("waiting");

        HttpResponse<String> created = a.send(a.request("/api/datasets/elsewhere")
                .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());
        assertThat(created.statusCode()).isEqualTo(201);

        JsonNode last = Json.mapper().readTree(probe.next());
        assertThat(last.get("state").asText()).isEqualTo("complete");
        assertThat(last.at("/counters/kept").asLong()).isEqualTo(2);
        assertThat(ApiClient.await(probe.closeCode)).isEqualTo(1000);
    }
}
