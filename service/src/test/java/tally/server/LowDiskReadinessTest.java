package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A data directory with less free space than the configured minimum: not ready, and /readyz says why. */
@Tag("async")
class LowDiskReadinessTest {
    @RegisterExtension
    static final TallyServerExtension SERVER = new TallyServerExtension(c -> c.minFreeBytes(Long.MAX_VALUE));

    @Test
    void readiness_is_503_with_the_free_space_while_liveness_stays_200() {
        ApiClient api = new ApiClient(SERVER.baseUri());

        HttpResponse<String> ready = api.get("/readyz");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(api.json(ready).get("detail").asText()).contains("low on disk space").contains("--min-free-bytes");
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);
    }
}
