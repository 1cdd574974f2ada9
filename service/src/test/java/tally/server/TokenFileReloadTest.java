package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tokens added to or removed from the file count without a restart. */
@Tag("async")
class TokenFileReloadTest {
    private static final Path TOKENS = TokenFiles.create();
    private static final String ADDED = "added-0123456789abcdef0123456789";

    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.tokenFile(TOKENS));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private int deleteWith(String token) {
        return api.send(api.request("/api/datasets/nothing-here").header("Authorization", "Bearer " + token)
                .DELETE().build()).statusCode();
    }

    @Test
    void a_token_added_to_the_file_works_and_a_removed_one_stops_within_seconds() {
        assertThat(deleteWith(ADDED)).isEqualTo(401);
        assertThat(deleteWith(TokenFiles.CI)).isEqualTo(404);

        TokenFiles.write(TOKENS, "new: " + ADDED + "\n");

        // Polled with the token that goes (still valid until the reload), not the one that comes: wrong
        // tokens would soon have this client throttled.
        Eventually.await("the removed token is refused", Duration.ofSeconds(20), () -> deleteWith(TokenFiles.CI) == 401);
        assertThat(deleteWith(ADDED)).isEqualTo(404);
        assertThat(api.send(api.request("/api/datasets").GET().build()).statusCode()).isEqualTo(200);
        assertThat(api.send(api.request("/api/datasets").POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(401);
    }
}
