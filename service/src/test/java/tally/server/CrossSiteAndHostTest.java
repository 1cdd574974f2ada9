package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a hostile page can make a visitor's browser send: a simple cross-site POST (text/plain or
 * multipart needs no preflight), and requests through a DNS-rebound name. Programs, which send neither
 * Origin nor Sec-Fetch-Site, and the server's own pages keep working.
 */
@Tag("async")
class CrossSiteAndHostTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension();

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private HttpResponse<String> post(String path, String... headers) {
        HttpRequest.Builder request = api.request(path);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return api.send(request.header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED, StandardCharsets.UTF_8)).build());
    }

    @Test
    void a_simple_post_from_a_page_of_another_site_is_refused_and_keeps_nothing() {
        HttpResponse<String> foreign = post("/api/datasets?name=forged", "Origin", "https://evil.example");
        HttpResponse<String> fetchMetadataOnly = post("/api/datasets?name=forged2", "Sec-Fetch-Site", "cross-site");
        HttpResponse<String> delete = api.send(api.request("/api/datasets/whatever").header("Origin", "https://evil.example")
                .DELETE().build());

        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(api.json(foreign).get("detail").asText()).contains("https://evil.example").contains("another site");
        assertThat(fetchMetadataOnly.statusCode()).isEqualTo(403);
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(api.get("/api/datasets").body()).doesNotContain("forged");
    }

    @Test
    void programs_and_the_servers_own_pages_still_write() {
        String own = "http://" + SERVER.baseUri().getHost() + ":" + SERVER.baseUri().getPort();

        assertThat(post("/api/datasets?name=curl").statusCode()).isEqualTo(201);
        assertThat(post("/api/datasets?name=page", "Origin", own, "Sec-Fetch-Site", "same-origin").statusCode())
                .isEqualTo(201);
    }

    @Test
    void a_server_on_loopback_refuses_a_name_that_is_not_its_own() throws IOException {
        String rebound = exchange("GET /api/datasets HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        String local = exchange("GET /healthz HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n");

        assertThat(rebound).startsWith("HTTP/1.1 421 Misdirected Request\r\n").contains("host evil.example").contains("--allowed-hosts");
        assertThat(local).startsWith("HTTP/1.1 200 ");
    }

    /** The JDK's client will not send another Host than the URI's: a socket will. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket(SERVER.baseUri().getHost(), SERVER.baseUri().getPort())) {
            socket.setSoTimeout((int) ApiClient.TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
