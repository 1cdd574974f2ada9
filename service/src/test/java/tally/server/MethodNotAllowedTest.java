package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A 405 names the methods the path does support, in Allow (RFC 9110) and in the problem's detail. */
@Tag("async")
class MethodNotAllowedTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension();

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private HttpResponse<String> send(String method, String path) {
        return api.send(api.request(path).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Asserts a 405 problem and returns the methods its Allow header lists. */
    private List<String> allowed(HttpResponse<String> response, String method) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(405);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().allValues("Allow")).hasSize(1);
        String allow = response.headers().firstValue("Allow").orElseThrow();
        JsonNode problem = api.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(405);
        assertThat(problem.get("title").asText()).isEqualTo("Method Not Allowed");
        assertThat(problem.get("detail").asText()).contains(method + " is not allowed").endsWith("allowed: " + allow);
        return Arrays.stream(allow.split(",")).map(String::strip).toList();
    }

    @Test
    void a_dataset_allows_get_head_put_and_delete() {
        assertThat(allowed(send("PATCH", "/api/datasets/some-id"), "PATCH"))
                .containsExactlyInAnyOrder("GET", "HEAD", "PUT", "DELETE");
    }

    @Test
    void the_dataset_list_allows_get_head_and_post() {
        assertThat(allowed(send("DELETE", "/api/datasets"), "DELETE"))
                .containsExactlyInAnyOrder("GET", "HEAD", "POST");
    }

    @Test
    void a_datasets_rows_and_input_allow_get_and_head() {
        assertThat(allowed(send("POST", "/api/datasets/some-id/rows.tsv"), "POST"))
                .containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(allowed(send("PUT", "/api/datasets/some-id/input"), "PUT"))
                .containsExactlyInAnyOrder("GET", "HEAD");
    }

    @Test
    void probes_the_progress_socket_and_pages_list_their_own_methods() {
        assertThat(allowed(send("POST", "/healthz"), "POST")).containsExactly("GET", "HEAD");
        assertThat(allowed(send("DELETE", "/metrics"), "DELETE")).containsExactly("GET", "HEAD");
        assertThat(allowed(send("POST", "/ws/datasets/some-id"), "POST")).containsExactly("GET");
        assertThat(allowed(send("PUT", "/datasets"), "PUT")).containsExactly("GET", "HEAD", "POST");
        assertThat(allowed(send("PUT", "/datasets/some-id/delete"), "PUT")).containsExactly("GET", "HEAD", "POST");
    }

    @Test
    void an_unknown_path_is_still_404_without_allow() {
        HttpResponse<String> response = send("PATCH", "/no/such/route");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Allow")).isEmpty();
    }
}
