package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser's way in, over plain HTTP: the sign-in form makes a session cookie that the API's
 * writes, the WebSocket and the pages accept; signing out or revoking the token ends it.
 */
@Tag("async")
class SignInSessionTest {
    private static final java.nio.file.Path TOKENS = TokenFiles.create();

    @RegisterExtension
    final TallyServerExtension server = new TallyServerExtension(c -> c.tokenFile(TOKENS));

    private HttpResponse<String> put(SignInOverHttp browser, String id) {
        return new ApiClient(server.baseUri()).send(browser.request("/api/datasets/" + id)
                .header("Content-Type", "application/x-ndjson").header("Origin", server.baseUri().toString())
                .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).build());
    }

    @Test
    void signing_in_sets_a_strict_http_only_session_cookie_that_writes_until_signing_out() {
        TokenFiles.write(TOKENS, TokenFiles.standard());
        ApiClient api = new ApiClient(server.baseUri());
        SignInOverHttp browser = new SignInOverHttp(api);

        HttpResponse<String> signedIn = browser.signIn(TokenFiles.ALICE);

        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains("/datasets");
        String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("tally_session=")).findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Max-Age=43200")
                .doesNotContain("Secure");
        assertThat(browser.session).hasSize(43);
        assertThat(put(browser, "by-session").statusCode()).isEqualTo(201);
        assertThat(api.send(browser.request("/datasets").build()).body()).contains("Signed in as <strong>alice</strong>");

        URI ws = URI.create(server.baseUri().toString().replaceFirst("^http", "ws") + "/ws/datasets/by-session");
        SocketProbe probe = new SocketProbe();
        probe.socket = ApiClient.await(api.http.newWebSocketBuilder().header("Cookie", browser.cookies())
                .buildAsync(ws, probe));
        assertThat(probe.next()).contains("\"complete\"");

        HttpResponse<String> signedOut = browser.signOut();
        assertThat(signedOut.statusCode()).isEqualTo(303);
        assertThat(signedOut.headers().firstValue("Location")).contains("/signin?why=signedout");
        assertThat(put(browser, "after-sign-out").statusCode()).isEqualTo(401);
    }

    @Test
    void a_wrong_token_on_the_sign_in_page_gets_a_readable_page_and_no_session() {
        SignInOverHttp browser = new SignInOverHttp(new ApiClient(server.baseUri()));

        HttpResponse<String> refused = browser.signIn("not-a-token-of-this-server-1234");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(refused.body()).contains("That token does not work here").doesNotContain("not-a-token-of-this");
        assertThat(browser.session).isNull();
    }

    @Test
    void revoking_a_token_ends_its_sessions_without_a_restart() {
        TokenFiles.write(TOKENS, TokenFiles.standard());
        SignInOverHttp browser = new SignInOverHttp(new ApiClient(server.baseUri()));
        browser.signIn(TokenFiles.CI);
        assertThat(put(browser, "before-revoking").statusCode()).isEqualTo(201);

        TokenFiles.write(TOKENS, "alice: sha256:" + TokenFiles.sha256(TokenFiles.ALICE) + "\n");

        ApiClient api = new ApiClient(server.baseUri());
        Eventually.await("the revoked token's session is refused", Duration.ofSeconds(20),
                () -> api.send(browser.request("/api/datasets/nothing-here").DELETE().build()).statusCode() == 401);
        assertThat(put(browser, "after-revoking").statusCode()).isEqualTo(401);
    }
}
