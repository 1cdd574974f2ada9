package tally.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tally.http.BuildVersion;
import tally.http.JsonReply;
import tally.http.Lifecycle;
import tally.http.Metrics;
import tally.http.Problem;
import tally.http.ProblemBoundary;
import tally.http.ReadinessCheck;
import tally.http.RouteTable;

/**
 * What operators and deploy tools ask: {@code /healthz}, {@code /readyz}, {@code /version}, {@code /metrics}.
 * Ready means started, not draining, and the dataset store answering.
 */
public final class OpsRoutes {
    /*
     * Constant bodies written out: serializing even a one-entry map costs Jackson's first-use
     * introspection (about 40 ms), and the first /readyz is what a deploy's health gate waits for.
     */
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json;
    private final Lifecycle lifecycle;
    private final Metrics metrics;
    private final Map<String, String> version;
    private final ProblemBoundary.Factory boundary;
    private final List<ReadinessCheck> checks;

    public OpsRoutes(ObjectMapper json, Lifecycle lifecycle, Metrics metrics, ProblemBoundary.Factory boundary,
            BuildVersion version, List<ReadinessCheck> checks) {
        this.checks = List.copyOf(checks);
        this.json = json;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.boundary = boundary;
        this.version = Map.of("version", version.version(), "commit", version.commit());
    }

    public void addTo(RouteTable routes) {
        routes.get("/healthz", ex -> JsonReply.sendBytes(ex, 200, OK));
        routes.get("/readyz", this::ready);
        routes.get("/version", ex -> JsonReply.send(ex, json, 200, version));
        routes.get("/metrics", ex -> ex.dispatch(boundary.wrap(this::metrics)));
    }

    private void ready(HttpServerExchange exchange) {
        if (!lifecycle.isReady()) {
            throw Problem.unavailable(lifecycle.isDraining() ? "draining for a stop" : "starting").toException();
        }
        for (ReadinessCheck check : checks) {
            String reason = check.notReadyBecause();
            if (reason != null) {
                throw Problem.unavailable(reason).toException();
            }
        }
        JsonReply.sendBytes(exchange, 200, READY);
    }

    private void metrics(HttpServerExchange exchange) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        metrics.write(out);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
        exchange.getResponseSender().send(ByteBuffer.wrap(out.toByteArray()));
    }
}
