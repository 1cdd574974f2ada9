package tally.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The release gate: an instance passes when {@code /readyz} answers 200 and {@code /version} reports the
 * expected version. Polls every instance until all pass or the timeout ends, keeping each one's last answer
 * so a failed release can say what it saw.
 */
public final class HealthGate {
    /** The last thing one instance answered. */
    public record Answer(String instanceId, boolean passed, String detail) {
        @Override
        public String toString() {
            return instanceId + ": " + detail;
        }
    }

    /** Raised when the gate closes; carries the last answers. */
    public static final class Closed extends DeployException {
        private final List<Answer> answers;

        Closed(String message, List<Answer> answers) {
            super(message);
            this.answers = answers;
        }

        public List<Answer> answers() {
            return answers;
        }
    }

    /** A ready instance accepts at once; a booting one refuses at once: 2 s is for a lost packet. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration pollInterval;

    /** @param http the environment's client ({@link EnvHttp}): plain HTTP, or HTTPS pinned to its certificate */
    public HealthGate(ObjectMapper json, Duration pollInterval, HttpClient http) {
        this.http = http;
        this.json = json;
        this.pollInterval = pollInterval;
    }

    /** Waits until every endpoint (instance id to base URI) serves {@code version}, ready. */
    public List<Answer> await(Map<String, URI> endpoints, String version, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Answer> last = new LinkedHashMap<>();
        while (true) {
            endpoints.forEach((id, uri) -> {
                if (last.get(id) == null || !last.get(id).passed()) {
                    last.put(id, check(id, uri, version));
                }
            });
            if (last.values().stream().allMatch(Answer::passed)) {
                return List.copyOf(last.values());
            }
            if (System.nanoTime() > deadline) {
                throw new Closed("health gate: not every instance was ready with version " + version + " within "
                        + timeout.toSeconds() + "s; last answers: " + last.values(), List.copyOf(last.values()));
            }
            pause();
        }
    }

    /** One probe: {@code /readyz} then {@code /version}. */
    public Answer check(String id, URI base, String version) {
        try {
            HttpResponse<String> ready = get(base.resolve("/readyz"));
            if (ready.statusCode() != 200) {
                return new Answer(id, false, "GET /readyz -> " + ready.statusCode() + " " + abbreviate(ready.body()));
            }
            HttpResponse<String> served = get(base.resolve("/version"));
            if (served.statusCode() != 200) {
                return new Answer(id, false, "GET /version -> " + served.statusCode() + " " + abbreviate(served.body()));
            }
            JsonNode body = json.readTree(served.body());
            String actual = body.path("version").asText(null);
            if (!version.equals(actual)) {
                return new Answer(id, false, "GET /version -> " + actual + ", expected " + version);
            }
            return new Answer(id, true, "ready, version " + actual);
        } catch (IOException e) {
            return new Answer(id, false, base + " unreachable: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted during the health gate", e);
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void pause() {
        try {
            Thread.sleep(pollInterval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted during the health gate", e);
        }
    }

    private static String abbreviate(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 120) + "..." : flat;
    }
}
