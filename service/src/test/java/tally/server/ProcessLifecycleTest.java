package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production entry point as a process: killed mid-upload, restarted, and stopped with SIGTERM. */
@Tag("async")
class ProcessLifecycleTest {
    @TempDir
    Path dataDir;

    @Test
    void after_a_kill_mid_upload_a_restart_keeps_complete_datasets_and_lists_the_cut_one_as_failed()
            throws Exception {
        try (ServerProcess first = ServerProcess.start(dataDir, "256m")) {
            ApiClient api = new ApiClient(first.baseUri());
            assertThat(api.send(api.request("/api/datasets/kept").header("Content-Type", "application/x-ndjson")
                    .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build()).statusCode()).isEqualTo(201);
            GatedBody body = new GatedBody();
            api.sendAsync(api.request("/api/datasets/cut").header("Content-Type", "application/x-ndjson")
                    .PUT(body.publisher()).build());
            body.send(Bookmarks.MIXED.repeat(1000).getBytes(StandardCharsets.UTF_8));
            Eventually.await("the upload is in progress", Duration.ofSeconds(20),
                    () -> api.get("/api/datasets/cut").body().contains("in_progress"));

            first.kill();
        }

        try (ServerProcess second = ServerProcess.start(dataDir, "256m")) {
            ApiClient api = new ApiClient(second.baseUri());
            assertThat(api.get("/api/datasets/kept/rows.tsv").body()).isEqualTo(Bookmarks.MIXED_ROWS);
            assertThat(api.get("/api/datasets/kept/input").body()).isEqualTo(Bookmarks.MIXED);
            JsonNode cut = api.json(api.get("/api/datasets/cut"));
            assertThat(cut.get("status").asText()).isEqualTo("failed");
            assertThat(cut.get("reason").asText()).contains("interrupted");
            assertThat(api.get("/api/datasets/cut/rows.tsv").statusCode()).isEqualTo(409);
            assertThat(api.json(api.get("/api/datasets")).get("datasets").findValuesAsText("status"))
                    .containsExactlyInAnyOrder("complete", "failed");
        }
    }

    @Test
    void sigterm_stops_readiness_drains_the_running_upload_and_closes_watchers_with_1001() throws Exception {
        try (ServerProcess server = ServerProcess.start(dataDir, "256m")) {
            ApiClient api = new ApiClient(server.baseUri());
            SocketProbe idle = SocketProbe.connect(api.http, api.base, "/ws/datasets/never-uploaded");
            assertThat(idle.next()).contains("waiting");
            GatedBody body = new GatedBody();
            CompletableFuture<HttpResponse<String>> upload = api.sendAsync(api.request("/api/datasets/draining")
                    .header("Content-Type", "application/x-ndjson").PUT(body.publisher()).build());
            body.send(Bookmarks.SPEC_LINE.getBytes(StandardCharsets.UTF_8));
            Eventually.await("the upload is in progress", Duration.ofSeconds(20),
                    () -> api.get("/api/datasets/draining").body().contains("in_progress"));

            server.terminate();

            Eventually.await("readiness fails", Duration.ofSeconds(20), () -> api.get("/readyz").statusCode() == 503);
            assertThat(api.get("/readyz").headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(api.postLines("late", Bookmarks.SPEC_LINE).statusCode()).isEqualTo(503);
            assertThat(upload).isNotDone();
            body.send(Bookmarks.EARLIER_LINE.getBytes(StandardCharsets.UTF_8));
            body.end();
            HttpResponse<String> drained = ApiClient.await(upload);
            assertThat(drained.statusCode()).isEqualTo(201);
            assertThat(ApiClient.await(idle.closeCode)).isEqualTo(1001);
            assertThat(server.awaitExit(30)).as(server.log()).isTrue();
        }
        try (ServerProcess again = ServerProcess.start(dataDir, "256m")) {
            ApiClient api = new ApiClient(again.baseUri());
            assertThat(api.json(api.get("/api/datasets/draining")).get("status").asText()).isEqualTo("complete");
        }
    }
}
