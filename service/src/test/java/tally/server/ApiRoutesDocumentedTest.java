package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.http.BuildVersion;

/**
 * The document and the server's route table name the same routes: a route added without documenting it,
 * or documented without being served, fails here. HTML pages are listed apart (x-tally-pages).
 */
@Tag("async")
class ApiRoutesDocumentedTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension();

    private final ApiContract contract = ApiContract.document();

    @Test
    void every_route_of_the_server_is_in_the_document_and_every_documented_route_is_served() {
        Map<String, List<String>> served = new TreeMap<>(SERVER.server().routes());
        Map<String, List<String>> documented = new TreeMap<>(contract.operations());
        documented.putAll(contract.pages());

        assertThat(served).as("routes served (left) and documented in openapi.json (right)")
                .isEqualTo(documented);
    }

    @Test
    void pages_are_kept_apart_from_the_api() {
        Map<String, List<String>> pages = new LinkedHashMap<>(contract.pages());
        pages.keySet().retainAll(contract.operations().keySet());

        assertThat(pages).isEmpty();
        assertThat(contract.pages()).containsKeys("/", "/datasets", "/datasets/{id}", "/static/{file}");
    }

    @Test
    void the_server_serves_its_document_with_its_own_version() {
        ApiClient api = new ApiClient(SERVER.baseUri());

        HttpResponse<String> document = api.get("/openapi.json");

        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(api.json(document).at("/info/version").asText()).isEqualTo(BuildVersion.current().version())
                .isEqualTo(api.json(api.get("/version")).get("version").asText());
        assertThat(api.json(document).get("paths")).isEqualTo(contract.root().get("paths"));
    }
}
