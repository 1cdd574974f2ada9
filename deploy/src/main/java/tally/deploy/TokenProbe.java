package tally.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks an instance, as a client would, whether it accepts a token yet: {@code GET /api/datasets?limit=1}
 * with the token answers 200 once the instance has read it from the environment's list, 401 before
 * (a token it does not know is refused even where reads are public). Polled every 1.5 s: each refusal
 * counts as a wrong token, and ten a minute would have this client throttled.
 */
final class TokenProbe {
    /**
     * How it ended: accepted or not, the last answer ({@code HTTP 401}, or why there was none: with TLS, a
     * certificate that is not the environment's), and after how long.
     */
    record Answer(boolean accepted, String last, long waitedMillis) {
    }

    private static final Duration PAUSE = Duration.ofMillis(1500);

    private TokenProbe() {
    }

    static Answer await(HttpClient http, URI base, String token, Duration limit) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        while (true) {
            int status;
            String last;
            try {
                status = http.send(HttpRequest.newBuilder(base.resolve("/api/datasets?limit=1"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                last = "HTTP " + status;
            } catch (IOException e) {
                status = -1;
                last = "no answer (" + e + ")";
            }
            long waited = (System.nanoTime() - t0) / 1_000_000;
            if (status == 200 || System.nanoTime() > deadline) {
                return new Answer(status == 200, last, waited);
            }
            Thread.sleep(PAUSE.toMillis());
        }
    }
}
