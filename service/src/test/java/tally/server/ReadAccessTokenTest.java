package tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tally.auth.ReadAccess;

/** --read-access token: reads need a token or a session too, the WebSocket included; the probes stay open. */
@Tag("async")
class ReadAccessTokenTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(
            c -> c.tokenFile(TokenFiles.create()).readAccess(ReadAccess.TOKEN));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = api.request(path);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return api.send(request.build());
    }

    @Test
    void reads_need_a_token_and_the_401_says_so() {
        HttpResponse<String> anonymous = get("/api/datasets");
        HttpResponse<String> head = api.send(api.request("/api/datasets").method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"tally\"");
        assertThat(api.json(anonymous).get("detail").asText()).startsWith("reading datasets on this server needs a token");
        assertThat(head.statusCode()).isEqualTo(401);
        assertThat(get("/metrics").statusCode()).isEqualTo(401);
        assertThat(get("/api/datasets", "Authorization", "Bearer " + TokenFiles.CI).statusCode()).isEqualTo(200);
        assertThat(api.send(api.request("/api/datasets").header("Authorization", "Bearer " + TokenFiles.ALICE)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "Authorization", "Bearer " + TokenFiles.CI).statusCode()).isEqualTo(200);
    }

    @Test
    void probes_version_and_the_sign_in_page_stay_open_and_pages_send_a_person_to_sign_in() {
        for (String path : new String[] {"/healthz", "/readyz", "/version", "/signin"}) {
            assertThat(get(path).statusCode()).as(path).isEqualTo(200);
        }
        HttpResponse<String> list = get("/datasets?cursor=x");

        assertThat(list.statusCode()).isEqualTo(303);
        assertThat(list.headers().firstValue("Location")).contains("/signin?why=read&next=%2Fdatasets%3Fcursor%3Dx");
        assertThat(get("/signin?why=read").body()).contains("only to people who are signed in");
        Matcher css = Pattern.compile("href=\"(/static/[^\"]+)\"")
                .matcher(get("/signin").body());
        assertThat(css.find()).isTrue();
        assertThat(get(css.group(1)).statusCode()).as(css.group(1)).isEqualTo(200);
    }

    @Test
    void the_websocket_needs_a_token_or_a_session_too() {
        URI uri = URI.create(api.base.toString().replaceFirst("^http", "ws") + "/ws/datasets/watched");

        assertThatThrownBy(() -> api.http.newWebSocketBuilder().buildAsync(uri, new SocketProbe()).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));

        SocketProbe withToken = new SocketProbe();
        withToken.socket = ApiClient.await(api.http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + TokenFiles.CI).buildAsync(uri, withToken));
        assertThat(withToken.next()).contains("\"waiting\"");

        SignInOverHttp browser = new SignInOverHttp(api);
        assertThat(browser.signIn(TokenFiles.ALICE).statusCode()).isEqualTo(303);
        SocketProbe withSession = new SocketProbe();
        withSession.socket = ApiClient.await(api.http.newWebSocketBuilder().header("Cookie", browser.cookies())
                .buildAsync(uri, withSession));
        assertThat(withSession.next()).contains("\"waiting\"");
    }
}
