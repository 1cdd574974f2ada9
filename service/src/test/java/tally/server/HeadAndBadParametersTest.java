package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What load balancers, uptime checkers and people typing addresses send: HEAD on every GET route
 * (same status and headers, no body), and page parameters that make no sense (a 4xx page, never a 500).
 */
@Tag("async")
class HeadAndBadParametersTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension();

    @Test
    void head_answers_like_get_without_a_body_on_every_get_route() {
        ApiClient api = new ApiClient(SERVER.baseUri());
        String id = api.json(api.postLines("head", Bookmarks.MIXED)).get("id").asText();
        List<String> paths = List.of("/", "/datasets", "/datasets/" + id, "/datasets/" + id + "/delete", "/healthz",
                "/readyz", "/version", "/metrics", "/static/tally.css", "/api/datasets", "/api/datasets/" + id,
                "/api/datasets/" + id + "/rows.tsv", "/api/datasets/" + id + "/input", "/datasets/no-such-id");
        for (String path : paths) {
            HttpResponse<String> get = api.get(path);
            HttpResponse<String> head = api.send(api.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build());

            assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(get.statusCode()).isLessThan(500);
            assertThat(head.body()).as("HEAD %s", path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD %s", path)
                    .isEqualTo(get.headers().firstValue("Content-Type"));
        }
    }

    @Test
    void an_escaped_question_mark_in_a_path_names_no_route_rather_than_cutting_the_path_short() {
        ApiClient api = new ApiClient(SERVER.baseUri());
        api.send(api.request("/api/datasets/a").PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());

        for (String path : List.of("/api/datasets/a%3Fb", "/api/datasets/a%3F/rows.tsv", "/api/datasets/a%3Fb/input")) {
            assertThat(api.get(path).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(api.send(api.request("/api/datasets/x%3Fy/input").PUT(HttpRequest.BodyPublishers.ofString(
                Bookmarks.MIXED)).build()).statusCode()).isEqualTo(404);
        assertThat(api.get("/api/datasets/x").statusCode()).isEqualTo(404);
    }

    @Test
    void a_garbled_cursor_is_a_400_page_and_a_400_problem_not_a_server_error() {
        ApiClient api = new ApiClient(SERVER.baseUri());

        HttpResponse<String> page = api.get("/datasets?cursor=garbage");
        HttpResponse<String> problem = api.get("/api/datasets?cursor=garbage");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("invalid cursor").doesNotContain("Exception");
        assertThat(problem.statusCode()).isEqualTo(400);
        assertThat(api.json(problem).get("detail").asText()).contains("invalid cursor");
    }
}
