package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A token with an expiry works until that instant and is refused from it on, by a running server. */
@Tag("async")
class TokenExpiryTest {
    private static final Path TOKENS = TokenFiles.create();
    private static final String SHORT_LIVED = "short-0123456789abcdef0123456789";

    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.tokenFile(TOKENS));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private int deleteWith(String token) {
        return api.send(api.request("/api/datasets/nothing-here").header("Authorization", "Bearer " + token)
                .DELETE().build()).statusCode();
    }

    @Test
    void a_token_is_accepted_until_its_expiry_and_refused_from_then_on() {
        // Whole seconds, as tally-deploy writes them; far enough ahead for the server to read the file first.
        Instant expiry = Instant.now().plusSeconds(6).truncatedTo(ChronoUnit.SECONDS);
        TokenFiles.write(TOKENS, TokenFiles.standard() + "short: sha256:" + TokenFiles.sha256(SHORT_LIVED)
                + " expires=" + expiry + "\n");

        // Each refusal counts as a wrong token (ten a minute are throttled): the file is read within about a
        // second, so two or three polls at most.
        Eventually.await("the new token is accepted", Duration.ofSeconds(5), Duration.ofMillis(500),
                () -> deleteWith(SHORT_LIVED) == 404);
        assertThat(Instant.now()).as("accepted before its expiry").isBefore(expiry);

        Eventually.await("its expiry has passed", Duration.ofSeconds(10), () -> Instant.now().isAfter(expiry));
        assertThat(deleteWith(SHORT_LIVED)).isEqualTo(401);
        assertThat(deleteWith(TokenFiles.CI)).as("a token without an expiry").isEqualTo(404);
    }
}
