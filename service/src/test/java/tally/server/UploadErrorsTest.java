package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every error path answers problem+json, the server stays healthy, and nothing partial is listed complete. */
@Tag("async")
class UploadErrorsTest {
    static final int CAP = 64 * 1024;

    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(
            c -> c.maxUploadBytes(CAP).maxConcurrentUploads(1));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    @AfterEach
    void the_server_is_still_healthy_and_lists_only_complete_datasets() {
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
        Eventually.await("no upload is in progress", Duration.ofSeconds(10),
                () -> api.json(api.get("/api/datasets?limit=1000")).get("datasets").findValuesAsText("status")
                        .stream().allMatch("complete"::equals));
        assertThat(api.postLines("after", Bookmarks.SPEC_LINE).statusCode()).isEqualTo(201);
    }

    private void assertProblem(HttpResponse<String> response, int status, String detailContains) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = api.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).contains(detailContains).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void a_content_length_over_the_cap_is_413_naming_the_cap() {
        HttpResponse<String> response = api.upload("/api/datasets", "application/x-ndjson", new byte[CAP + 1]);

        assertProblem(response, 413, Integer.toString(CAP));
    }

    @Test
    void a_chunked_body_over_the_cap_is_413_while_counting() {
        byte[] body = Bookmarks.MIXED.repeat(CAP / Bookmarks.MIXED.length() + 10).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = api.send(api.request("/api/datasets").header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertProblem(response, 413, Integer.toString(CAP));
    }

    @Test
    void a_chunked_body_under_the_cap_is_accepted() {
        byte[] body = Bookmarks.MIXED.getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = api.send(api.request("/api/datasets").header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void a_small_gzip_body_that_inflates_over_the_cap_is_413() throws IOException {
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(packed)) {
            gz.write(new byte[CAP * 4]);
        }
        assertThat(packed.size()).isLessThan(CAP);

        HttpResponse<String> response = api.send(api.request("/api/datasets").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(packed.toByteArray())).build());

        assertProblem(response, 413, Integer.toString(CAP));
    }

    @Test
    void a_body_without_any_length_framing_is_411() throws IOException {
        String status = rawExchange("POST /api/datasets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(status).startsWith("HTTP/1.1 411");
    }

    @Test
    void an_unsupported_content_type_is_415() {
        assertProblem(api.upload("/api/datasets", "image/png", new byte[10]), 415, "application/x-ndjson");
    }

    @Test
    void an_unsupported_content_encoding_is_415() {
        assertProblem(api.send(api.request("/api/datasets").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build()), 415, "gzip");
    }

    @Test
    void a_body_declared_gzip_that_is_not_is_400() {
        assertProblem(api.send(api.request("/api/datasets").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build()), 400, "gzip");
    }

    @Test
    void a_truncated_gzip_body_is_400() throws IOException {
        byte[] whole = DatasetApiTest.gzip(Bookmarks.MIXED.repeat(50));
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);

        assertProblem(api.send(api.request("/api/datasets").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(half)).build()), 400, "truncated");
    }

    @Test
    void multipart_without_a_boundary_is_400() {
        assertProblem(api.upload("/api/datasets", "multipart/form-data", new byte[10]), 400, "boundary");
    }

    @Test
    void multipart_without_a_file_part_is_400() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx\r\n--b--\r\n";
        assertProblem(api.upload("/api/datasets", "multipart/form-data; boundary=b",
                body.getBytes(StandardCharsets.UTF_8)), 400, "file");
    }

    @Test
    void multipart_parts_without_a_name_or_with_bytes_outside_header_text_are_400_not_500() {
        String nameless = "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--\r\n";
        assertProblem(api.upload("/api/datasets", "multipart/form-data; boundary=b",
                nameless.getBytes(StandardCharsets.UTF_8)), 400, "file");
        byte[] badHeader = "--b\r\nX-\u00e9\u0001: y\r\n\r\nx\r\n--b--\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertProblem(api.upload("/api/datasets", "multipart/form-data; boundary=b", badHeader), 400, "header text");
    }

    @Test
    void multipart_cut_before_its_closing_boundary_is_400() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n" + Bookmarks.MIXED;
        assertProblem(api.upload("/api/datasets", "multipart/form-data; boundary=b",
                body.getBytes(StandardCharsets.UTF_8)), 400, "boundary");
    }

    @Test
    void a_name_too_long_on_several_lines_or_reordering_text_is_400_and_nothing_is_kept() {
        String encodedLong = "n".repeat(900);
        assertProblem(api.postLines(encodedLong, Bookmarks.MIXED), 400, "at most 200");
        assertProblem(api.postLines("two%0Alines", Bookmarks.MIXED), 400, "U+000A");
        assertProblem(api.postLines("%E2%80%AEgnp.exe", Bookmarks.MIXED), 400, "U+202E");
        String multipartName = "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\u202Egnp.exe\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\n" + Bookmarks.MIXED
                + "\r\n--b--\r\n";
        assertProblem(api.upload("/api/datasets", "multipart/form-data; boundary=b",
                multipartName.getBytes(StandardCharsets.UTF_8)), 400, "U+202E");
        assertThat(api.json(api.get("/api/datasets")).get("datasets").findValuesAsText("name"))
                .noneMatch(name -> name.contains("gnp") || name.length() > 200);
    }

    @Test
    void an_invalid_dataset_id_is_400() {
        assertProblem(api.send(api.request("/api/datasets/has.dot").PUT(HttpRequest.BodyPublishers.ofString("")).build()),
                400, "[A-Za-z0-9_-]");
        assertProblem(api.get("/api/datasets/" + "x".repeat(65)), 400, "[A-Za-z0-9_-]");
    }

    @Test
    void a_bad_limit_or_cursor_is_400() {
        assertProblem(api.get("/api/datasets?limit=0"), 400, "limit");
        assertProblem(api.get("/api/datasets?limit=many"), 400, "limit");
        assertProblem(api.get("/api/datasets?limit=%2B5"), 400, "limit");
        assertProblem(api.get("/api/datasets?cursor=!!"), 400, "cursor");
    }

    @Test
    void unknown_datasets_and_routes_are_404_and_wrong_methods_405() {
        assertProblem(api.get("/api/datasets/nothing-here"), 404, "nothing-here");
        assertProblem(api.get("/api/datasets/nothing-here/rows.tsv"), 404, "nothing-here");
        assertProblem(api.get("/api/datasets/nothing-here/input"), 404, "nothing-here");
        assertProblem(api.get("/no/such/route"), 404, "/no/such/route");
        assertProblem(api.send(api.request("/api/datasets").method("PATCH", HttpRequest.BodyPublishers.noBody()).build()),
                405, "PATCH");
    }

    @Test
    void a_put_over_an_existing_dataset_is_409_before_the_body_is_read() {
        api.send(api.request("/api/datasets/taken").PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.SPEC_LINE)).build());

        assertProblem(api.send(api.request("/api/datasets/taken")
                .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build()), 409, "taken");
        assertThat(api.get("/api/datasets/taken/rows.tsv").body()).isEqualTo(Bookmarks.SPEC_ROW);
    }

    @Test
    void an_upload_beyond_the_concurrency_limit_is_503_and_the_running_one_still_completes() {
        GatedBody slow = new GatedBody();
        CompletableFuture<HttpResponse<String>> running = api.sendAsync(api.request("/api/datasets/slow")
                .header("Content-Type", "application/x-ndjson")
                .PUT(slow.publisher()).build());
        slow.send(Bookmarks.SPEC_LINE.getBytes(StandardCharsets.UTF_8));
        Eventually.await("the slow upload is in progress", Duration.ofSeconds(10),
                () -> api.get("/api/datasets/slow").body().contains("in_progress"));

        HttpResponse<String> refused = api.postLines("refused", Bookmarks.SPEC_LINE);

        assertProblem(refused, 503, "uploads");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(api.get("/api/datasets/slow/rows.tsv").statusCode()).isEqualTo(409);
        assertProblem(api.send(api.request("/api/datasets/slow").DELETE().build()), 409, "still being uploaded");
        slow.send(Bookmarks.EARLIER_LINE.getBytes(StandardCharsets.UTF_8));
        slow.end();
        HttpResponse<String> done = ApiClient.await(running);
        assertThat(done.statusCode()).isEqualTo(201);
        assertThat(api.get("/api/datasets/slow/rows.tsv").body()).isEqualTo(Bookmarks.EARLIER_ROW + Bookmarks.SPEC_ROW);
    }

    @Test
    void a_client_that_hangs_up_mid_upload_leaves_no_dataset_behind() throws IOException {
        try (Socket socket = new Socket(api.base.getHost(), api.base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/datasets/cut HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: 60000\r\n\r\n" + Bookmarks.MIXED).getBytes(StandardCharsets.UTF_8));
            out.flush();
            Eventually.await("the upload is in progress", Duration.ofSeconds(10),
                    () -> api.get("/api/datasets/cut").statusCode() == 200);
        }

        Eventually.await("the cut upload is gone", Duration.ofSeconds(10),
                () -> api.get("/api/datasets/cut").statusCode() == 404);
        assertThat(SERVER.dataDir().resolve("datasets/cut")).doesNotExist();
    }

    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket(api.base.getHost(), api.base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
