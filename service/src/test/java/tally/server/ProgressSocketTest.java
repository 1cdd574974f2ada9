package tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tally.http.Json;

@Tag("async")
@ExtendWith(TallyServerExtension.class)
class ProgressSocketTest {
    private final ApiClient api;
    private final ObjectMapper json = Json.mapper();

    ProgressSocketTest(URI base) {
        this.api = new ApiClient(base);
    }

    private JsonNode parse(String message) throws IOException {
        return json.readTree(message);
    }

    @Test
    void a_subscriber_before_the_upload_sees_waiting_then_progress_before_completion_then_a_1000_close()
            throws IOException {
        SocketProbe probe = SocketProbe.connect(api.http, api.base, "/ws/datasets/watched");
        assertThat(parse(probe.next()).get("state").asText()).isEqualTo("waiting");

        GatedBody body = new GatedBody();
        CompletableFuture<HttpResponse<String>> upload = api.sendAsync(api.request("/api/datasets/watched")
                .header("Content-Type", "application/x-ndjson")
                .PUT(body.publisher()).build());
        byte[] piece = Bookmarks.MIXED.repeat(100).getBytes(StandardCharsets.UTF_8);

        // The upload is held open throughout: every event seen here arrived before completion. The job
        // reports lines once a block is parsed, so pieces keep coming until an event shows some.
        int pieces = 0;
        JsonNode running = null;
        while (pieces < 200 && (running == null || running.get("lines").asLong() == 0)) {
            body.send(piece);
            pieces++;
            running = parse(probe.next());
            assertThat(running.get("state").asText()).isEqualTo("running");
        }
        assertThat(running.get("lines").asLong()).isBetween(1L, 400L * pieces);
        assertThat(running.get("bytes").asLong()).isPositive();
        assertThat(running.get("kept").asLong()).isLessThanOrEqualTo(running.get("lines").asLong());
        assertThat(upload).isNotDone();

        body.send(Bookmarks.SPEC_LINE.getBytes(StandardCharsets.UTF_8));
        body.end();
        assertThat(ApiClient.await(upload).statusCode()).isEqualTo(201);

        JsonNode last;
        do {
            last = parse(probe.next());
        } while (last.get("state").asText().equals("running"));
        assertThat(last.get("state").asText()).isEqualTo("complete");
        assertThat(last.at("/counters/lines").asLong()).isEqualTo(400L * pieces + 1);
        assertThat(last.get("kept").asLong()).isEqualTo(200L * pieces + 1);
        assertThat(ApiClient.await(probe.closeCode)).isEqualTo(1000);
    }

    @Test
    void a_late_subscriber_gets_the_final_state_at_once_and_a_close() throws IOException {
        api.send(api.request("/api/datasets/finished").PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());

        SocketProbe probe = SocketProbe.connect(api.http, api.base, "/ws/datasets/finished");

        JsonNode event = parse(probe.next());
        assertThat(event.get("state").asText()).isEqualTo("complete");
        assertThat(event.get("kept").asLong()).isEqualTo(2);
        assertThat(ApiClient.await(probe.closeCode)).isEqualTo(1000);
    }

    @Test
    void a_failed_upload_ends_the_subscription_with_the_problem() throws IOException {
        SocketProbe probe = SocketProbe.connect(api.http, api.base, "/ws/datasets/doomed");
        assertThat(parse(probe.next()).get("state").asText()).isEqualTo("waiting");

        HttpResponse<String> response = api.send(api.request("/api/datasets/doomed").header("Content-Encoding", "gzip")
                .PUT(HttpRequest.BodyPublishers.ofString("not gzip at all")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode last;
        do {
            last = parse(probe.next());
        } while (!last.get("state").asText().equals("failed"));
        assertThat(last.at("/problem/status").asInt()).isEqualTo(400);
        assertThat(ApiClient.await(probe.closeCode)).isEqualTo(1000);
    }

    @Test
    void a_browser_page_from_another_origin_may_not_subscribe() {
        URI uri = URI.create(api.base.toString().replaceFirst("^http", "ws") + "/ws/datasets/x");

        assertThatThrownBy(() -> api.http.newWebSocketBuilder().header("Origin", "http://evil.example")
                .buildAsync(uri, new SocketProbe()).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class);
    }

    @Test
    void a_page_from_the_same_host_may_subscribe() throws IOException {
        URI uri = URI.create(api.base.toString().replaceFirst("^http", "ws") + "/ws/datasets/same");
        SocketProbe probe = new SocketProbe();

        probe.socket = ApiClient.await(api.http.newWebSocketBuilder().header("Origin", api.base.toString())
                .buildAsync(uri, probe));

        assertThat(parse(probe.next()).get("state").asText()).isEqualTo("waiting");
    }
}
