package tally.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server with a token file and the default --read-access public: every write needs a bearer token
 * (or a session, see {@link SignInSessionTest}); reads, probes and progress stay open.
 */
@Tag("async")
class TokenAccessTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.tokenFile(TokenFiles.create()));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private HttpResponse<String> post(String name, String... headers) {
        HttpRequest.Builder request = api.request("/api/datasets?name=" + name).header("Content-Type",
                "application/x-ndjson");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return api.send(request.POST(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED, UTF_8)).build());
    }

    @Test
    void writes_without_a_token_get_401_with_a_bearer_challenge_and_a_problem_that_says_how() {
        HttpResponse<String> created = post("anonymous");
        HttpResponse<String> put = api.send(api.request("/api/datasets/anon").header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());
        HttpResponse<String> deleted = api.send(api.request("/api/datasets/anon").DELETE().build());

        for (HttpResponse<String> response : java.util.List.of(created, put, deleted)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"tally\"");
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(api.json(response).get("detail").asText()).contains("Authorization: Bearer TOKEN")
                    .contains("/signin");
        }
        assertThat(api.get("/api/datasets").body()).doesNotContain("anonymous").doesNotContain("anon\"");
    }

    @Test
    void a_wrong_token_gets_401_invalid_token_and_the_token_is_never_echoed() {
        HttpResponse<String> response = post("wrong", "Authorization", "Bearer not-a-token-of-this-server-1234");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .contains("Bearer realm=\"tally\", error=\"invalid_token\"");
        assertThat(response.body()).doesNotContain("not-a-token-of-this-server");
    }

    @Test
    void a_listed_token_writes_and_a_token_listed_as_its_sha256_deletes() {
        HttpResponse<String> created = post("by-ci", "Authorization", "Bearer " + TokenFiles.CI);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = api.json(created).get("id").asText();

        HttpResponse<String> deleted = api.send(api.request("/api/datasets/" + id)
                .header("Authorization", "bearer " + TokenFiles.ALICE).DELETE().build());

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(api.get("/api/datasets/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void reads_probes_version_metrics_and_progress_stay_open_by_default() {
        String id = api.json(post("readable", "Authorization", "Bearer " + TokenFiles.CI)).get("id").asText();

        assertThat(api.get("/api/datasets/" + id).statusCode()).isEqualTo(200);
        assertThat(api.get("/api/datasets/" + id + "/rows.tsv").statusCode()).isEqualTo(200);
        assertThat(api.send(api.request("/api/datasets/" + id).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build()).statusCode()).isEqualTo(200);
        assertThat(api.get("/datasets/" + id).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/healthz", "/readyz", "/version", "/metrics", "/signin"}) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(200);
        }
        SocketProbe probe = SocketProbe.connect(api.http, api.base, "/ws/datasets/" + id);
        assertThat(probe.next()).contains("\"complete\"");
    }

    @Test
    void an_upload_with_expect_100_continue_is_refused_before_its_body_is_sent() throws IOException {
        try (Socket socket = new Socket(api.base.getHost(), api.base.getPort())) {
            socket.setSoTimeout((int) ApiClient.TIMEOUT.toMillis());
            socket.getOutputStream().write(("PUT /api/datasets/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                    + "application/x-ndjson\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n\r\n").getBytes(US_ASCII));
            socket.getOutputStream().flush();

            // The final answer, then the end of the connection: the 50 MB were never asked for.
            assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8))
                    .startsWith("HTTP/1.1 401 ").doesNotContain("100 Continue").contains("WWW-Authenticate: Bearer");
        }
    }

    @Test
    void a_person_on_the_pages_is_sent_to_the_sign_in_page_rather_than_shown_a_401() {
        HttpResponse<String> form = api.get("/");
        HttpResponse<String> confirm = api.get("/datasets/some-id/delete");
        HttpResponse<String> noScriptPost = api.send(api.request("/datasets")
                .header("Content-Type", "multipart/form-data; boundary=b").header("Referer", api.base + "/")
                .POST(HttpRequest.BodyPublishers.ofString("--b--\r\n")).build());

        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(form.headers().firstValue("Location")).contains("/signin?why=write&next=%2F");
        assertThat(confirm.headers().firstValue("Location")).contains("/signin?why=write&next=%2Fdatasets%2Fsome-id%2Fdelete");
        assertThat(noScriptPost.statusCode()).isEqualTo(303);
        assertThat(noScriptPost.headers().firstValue("Location")).contains("/signin?why=write&next=%2F");
        assertThat(api.get("/signin?why=write&next=%2F").body()).contains("Sign in to add or delete datasets.");
    }

    @Test
    void metrics_count_the_refusals_by_reason() {
        post("counted");

        assertThat(api.get("/metrics").body()).containsPattern("tally_auth_refusals_total\\{reason=\"missing\"} [1-9]");
    }
}
