package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that keeps sending wrong tokens is slowed down: 429 with Retry-After, counted in /metrics. */
@Tag("async")
class ThrottleTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.tokenFile(TokenFiles.create()));

    private final ApiClient api = new ApiClient(SERVER.baseUri());

    private HttpResponse<String> deleteWith(String token) {
        return api.send(api.request("/api/datasets/nothing-here").header("Authorization", "Bearer " + token)
                .DELETE().build());
    }

    @Test
    void ten_wrong_tokens_in_a_minute_get_the_address_429_even_with_a_right_token_then() {
        for (int i = 0; i < 10; i++) {
            assertThat(deleteWith("guess-" + i + "-0123456789abcdef").statusCode()).as("guess %d", i).isEqualTo(401);
        }

        HttpResponse<String> throttled = deleteWith(TokenFiles.CI);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After").map(Integer::parseInt)).hasValueSatisfying(
                seconds -> assertThat(seconds).isBetween(1, 60));
        assertThat(api.json(throttled).get("detail").asText()).contains("too many wrong tokens");
        assertThat(api.get("/api/datasets").statusCode()).as("public reads without a token").isEqualTo(200);
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("tally_auth_refusals_total{reason=\"invalid_token\"} 10.0")
                .contains("tally_auth_refusals_total{reason=\"throttled\"} 1.0");
    }
}
