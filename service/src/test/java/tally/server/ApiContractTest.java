package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The oracle itself: it passes what the document declares and names what it does not. */
@Tag("unit")
class ApiContractTest {
    private static final String PROBLEM_404 = "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
            + "\"detail\":\"no dataset 'x'\"}";
    private static final String SIZES = "\"sizes\":{\"input_bytes\":0,\"stored_input_bytes\":0,\"rows_bytes\":0}";

    private final ApiContract contract = ApiContract.document();

    private static HttpHeaders headers(String... namesAndValues) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return HttpHeaders.of(map, (name, value) -> true);
    }

    private List<String> check(String method, String path, int status, String body, String... headers) {
        return contract.violations(method, URI.create("http://127.0.0.1:1" + path), status, headers(headers), body);
    }

    @Test
    void a_declared_answer_passes() {
        assertThat(check("GET", "/api/datasets/x", 404, PROBLEM_404, "Content-Type", "application/problem+json"))
                .isEmpty();
        assertThat(check("GET", "/api/datasets/x", 200, "{\"id\":\"x\",\"status\":\"in_progress\",\"created\":"
                + "\"2026-12-06T15:55:02Z\"," + SIZES + "}", "Content-Type", "application/json")).isEmpty();
        assertThat(check("DELETE", "/api/datasets/x", 204, "")).isEmpty();
        assertThat(check("HEAD", "/metrics", 200, "", "Content-Type", "text/plain; version=0.0.4; charset=utf-8"))
                .isEmpty();
    }

    @Test
    void an_undeclared_status_a_wrong_type_or_a_body_off_schema_is_named() {
        assertThat(check("GET", "/api/datasets", 500, "{}", "Content-Type", "application/problem+json"))
                .singleElement().asString().contains("500 is not a status");
        assertThat(check("GET", "/api/datasets/x", 404, PROBLEM_404, "Content-Type", "text/html"))
                .singleElement().asString().contains("Content-Type text/html");
        assertThat(check("GET", "/api/datasets/x", 200, "{\"id\":\"x\",\"status\":\"complete\",\"created\":\"c\","
                + SIZES + "}", "Content-Type", "application/json"))
                .isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("the body"));
        assertThat(check("GET", "/api/datasets/x", 404, PROBLEM_404.replace("404,", "400,"), "Content-Type",
                "application/problem+json")).singleElement().asString().contains("says status 400");
        assertThat(check("HEAD", "/healthz", 200, "{}", "Content-Type", "application/json"))
                .singleElement().asString().contains("HEAD");
    }

    @Test
    void required_headers_are_checked() {
        String created = "{\"id\":\"x\",\"status\":\"in_progress\",\"created\":\"c\"," + SIZES + "}";
        assertThat(check("PUT", "/api/datasets/x", 201, created, "Content-Type", "application/json"))
                .singleElement().asString().contains("Location");
        assertThat(check("PUT", "/api/datasets/x", 201, created, "Content-Type", "application/json",
                "Location", "/elsewhere")).singleElement().asString().contains("header Location");
    }

    @Test
    void unknown_paths_are_404_and_unlisted_methods_405_with_the_documented_allow() {
        String problem405 = "{\"type\":\"about:blank\",\"title\":\"Method Not Allowed\",\"status\":405,\"detail\":\"d\"}";
        assertThat(check("GET", "/nowhere", 404, PROBLEM_404, "Content-Type", "application/problem+json")).isEmpty();
        assertThat(check("GET", "/nowhere", 200, "{}", "Content-Type", "application/json")).isNotEmpty();
        assertThat(check("PATCH", "/api/datasets/x", 405, problem405, "Content-Type", "application/problem+json",
                "Allow", "GET, HEAD, PUT, DELETE")).isEmpty();
        assertThat(check("PATCH", "/api/datasets/x", 405, problem405, "Content-Type", "application/problem+json",
                "Allow", "GET, HEAD")).singleElement().asString().contains("Allow lists");
    }

    @Test
    void html_pages_are_outside_the_document() {
        assertThat(check("GET", "/datasets/x", 200, "<html>", "Content-Type", "text/html")).isEmpty();
    }

    @Test
    void paths_are_matched_as_undertow_decodes_them() {
        assertThat(ApiContract.decodedPath("/api/datasets/a%2Fb")).isEqualTo("/api/datasets/a%2Fb");
        assertThat(ApiContract.decodedPath("/api/datasets/%2E%2E")).isEqualTo("/api/datasets/..");
        assertThat(ApiContract.decodedPath("/api/datasets/a+b%20c")).isEqualTo("/api/datasets/a+b c");
    }
}
