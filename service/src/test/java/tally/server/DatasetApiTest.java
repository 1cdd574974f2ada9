package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@Tag("async")
@ExtendWith(TallyServerExtension.class)
class DatasetApiTest {
    private final ApiClient api;

    DatasetApiTest(URI base) {
        this.api = new ApiClient(base);
    }

    @Test
    void post_answers_201_with_location_counters_and_summary_then_rows_are_served_sorted() {
        HttpResponse<String> created = api.postLines("mixed", Bookmarks.MIXED);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = api.json(created);
        String id = body.get("id").asText();
        assertThat(created.headers().firstValue("Location")).contains("/api/datasets/" + id);
        assertThat(body.get("name").asText()).isEqualTo("mixed");
        assertThat(body.get("status").asText()).isEqualTo("complete");
        assertThat(body.get("created").asText()).isNotEmpty();
        assertThat(body.at("/counters/lines").asLong()).isEqualTo(4);
        assertThat(body.at("/counters/kept").asLong()).isEqualTo(2);
        assertThat(body.at("/counters/no_tags").asLong()).isEqualTo(1);
        assertThat(body.at("/counters/skipped").asLong()).isEqualTo(1);
        assertThat(body.get("summary").isObject()).isTrue();
        assertThat(body.at("/sizes/input_bytes").asLong()).isEqualTo(Bookmarks.MIXED.getBytes(StandardCharsets.UTF_8).length);

        HttpResponse<String> rows = api.get("/api/datasets/" + id + "/rows.tsv");
        assertThat(rows.statusCode()).isEqualTo(200);
        assertThat(rows.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/tab-separated-values"));
        assertThat(rows.body()).isEqualTo(Bookmarks.MIXED_ROWS);
        assertThat(api.json(api.get("/api/datasets/" + id))).isEqualTo(body);
    }

    @Test
    void header_true_puts_the_column_names_first() {
        String id = api.json(api.postLines("h", Bookmarks.SPEC_LINE)).get("id").asText();

        String rows = api.get("/api/datasets/" + id + "/rows.tsv?header=true").body();

        assertThat(rows).startsWith("id\tweekday\tmonth\tyear\thour\tminute\tsecond\tnum_tags\tsum_tag_len\tavg_tag_len\tf0\t");
        assertThat(rows).endsWith("\n" + Bookmarks.SPEC_ROW);
    }

    @Test
    void input_gives_back_the_original_bytes() {
        String lines = "{\"id\":\"é日本語\",\"tags\":[]}\r\n" + Bookmarks.MIXED + "no final newline";
        String id = api.json(api.postLines("raw", lines)).get("id").asText();

        HttpResponse<String> input = api.get("/api/datasets/" + id + "/input");

        assertThat(input.statusCode()).isEqualTo(200);
        assertThat(input.body()).isEqualTo(lines);
    }

    @Test
    void head_on_rows_gives_the_length_without_a_body() {
        String id = api.json(api.postLines("head", Bookmarks.MIXED)).get("id").asText();

        HttpResponse<String> head = api.send(api.request("/api/datasets/" + id + "/rows.tsv")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length"))
                .hasValue(Bookmarks.MIXED_ROWS.getBytes(StandardCharsets.UTF_8).length);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void put_creates_the_dataset_under_the_client_id_and_a_second_put_conflicts() {
        HttpRequest put = api.request("/api/datasets/client-id_1?name=mine").header("Content-Type", "application/x-ndjson")
                .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.SPEC_LINE)).build();

        HttpResponse<String> first = api.send(put);
        HttpResponse<String> second = api.send(put);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Location")).contains("/api/datasets/client-id_1");
        assertThat(api.json(first).get("name").asText()).isEqualTo("mine");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(api.get("/api/datasets/client-id_1/rows.tsv").body()).isEqualTo(Bookmarks.SPEC_ROW);
    }

    @Test
    void a_gzip_encoded_body_gives_the_same_rows() throws IOException {
        HttpResponse<String> created = api.send(api.request("/api/datasets?name=gz")
                .header("Content-Type", "application/x-ndjson").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(Bookmarks.MIXED))).build());

        assertThat(created.statusCode()).isEqualTo(201);
        String id = api.json(created).get("id").asText();
        assertThat(api.get("/api/datasets/" + id + "/rows.tsv").body()).isEqualTo(Bookmarks.MIXED_ROWS);
        assertThat(api.get("/api/datasets/" + id + "/input").body()).isEqualTo(Bookmarks.MIXED);
    }

    @Test
    void a_multipart_file_field_gives_the_same_rows_and_the_name_field_names_it() {
        String boundary = "----tally-boundary-42";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
                + "from the form\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"bookmarks.jsonl\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + Bookmarks.MIXED + "\r\n"
                + "--" + boundary + "--\r\n";

        HttpResponse<String> created = api.upload("/api/datasets", "multipart/form-data; boundary=" + boundary,
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode meta = api.json(created);
        assertThat(meta.get("name").asText()).isEqualTo("from the form");
        assertThat(api.get("/api/datasets/" + meta.get("id").asText() + "/input").body()).isEqualTo(Bookmarks.MIXED);
        assertThat(api.get("/api/datasets/" + meta.get("id").asText() + "/rows.tsv").body())
                .isEqualTo(Bookmarks.MIXED_ROWS);
    }

    @Test
    void a_gzipped_file_in_a_multipart_form_is_decompressed() throws IOException {
        String boundary = "b0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"data.jsonl.gz\"\r\n"
                + "Content-Type: application/gzip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(gzip(Bookmarks.MIXED));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> created = api.upload("/api/datasets", "multipart/form-data; boundary=" + boundary,
                body.toByteArray());

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(api.json(created).get("name").asText()).isEqualTo("data.jsonl.gz");
        assertThat(api.json(created).at("/counters/kept").asLong()).isEqualTo(2);
    }

    @Test
    void an_empty_body_is_an_empty_dataset() {
        HttpResponse<String> created = api.postLines("empty", "");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(api.json(created).at("/counters/lines").asLong()).isZero();
        assertThat(api.get("/api/datasets/" + api.json(created).get("id").asText() + "/rows.tsv").body()).isEmpty();
    }

    @Test
    void concurrent_uploads_each_get_their_own_complete_dataset() {
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String lines = Bookmarks.MIXED.repeat(200 * (i + 1));
            uploads.add(api.sendAsync(api.request("/api/datasets?name=c" + i)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(lines)).build()));
        }

        for (int i = 0; i < uploads.size(); i++) {
            HttpResponse<String> response = ApiClient.await(uploads.get(i));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode meta = api.json(response);
            assertThat(meta.get("name").asText()).isEqualTo("c" + i);
            assertThat(meta.at("/counters/lines").asLong()).isEqualTo(4L * 200 * (i + 1));
            assertThat(meta.at("/counters/kept").asLong()).isEqualTo(2L * 200 * (i + 1));
        }
    }

    @Test
    void delete_answers_204_and_the_dataset_is_gone() {
        String id = api.json(api.postLines("doomed", Bookmarks.SPEC_LINE)).get("id").asText();

        HttpResponse<String> deleted = api.send(api.request("/api/datasets/" + id).DELETE().build());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(api.get("/api/datasets/" + id).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/datasets/" + id + "/rows.tsv").statusCode()).isEqualTo(404);
        assertThat(api.send(api.request("/api/datasets/" + id).DELETE().build()).statusCode()).isEqualTo(404);
    }

    @Test
    void health_readiness_and_version_answer_json() {
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(api.json(api.get("/healthz")).get("status").asText()).isEqualTo("ok");
        assertThat(api.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(api.json(api.get("/readyz")).get("status").asText()).isEqualTo("ready");
        assertThat(api.get("/readyz").headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode version = api.json(api.get("/version"));
        assertThat(version.get("version").asText()).isNotBlank();
        assertThat(version.has("commit")).isTrue();
    }

    @Test
    void metrics_count_requests_by_route_and_ingested_bytes() {
        api.postLines("m", Bookmarks.MIXED);

        HttpResponse<String> metrics = api.get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("tally_http_requests_total{method=\"POST\",route=\"/api/datasets\",status=\"201\"}")
                .contains("tally_ingested_bytes_total")
                .contains("tally_rows_written_total")
                .contains("tally_upload_duration_seconds_bucket")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void a_second_server_on_a_taken_port_fails_to_start_with_the_address_in_the_message(TallyServer running,
            @TempDir Path otherDir) {
        ServerConfig taken = ServerConfig.loopback(otherDir).toBuilder().port(running.port()).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TallyServer.start(taken))
                .isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + running.port());
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
