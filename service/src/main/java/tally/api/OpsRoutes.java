package tally.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import tally.http.JsonReply;
import tally.http.Lifecycle;
import tally.http.Metrics;
import tally.http.Problem;
import tally.http.ProblemBoundary;
import tally.http.RouteTable;

/** What operators and deploy tools ask: {@code /healthz}, {@code /readyz}, {@code /version}, {@code /metrics}. */
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

    public OpsRoutes(ObjectMapper json, Lifecycle lifecycle, Metrics metrics, ProblemBoundary.Factory boundary) {
        this.json = json;
        this.lifecycle = lifecycle;
        this.metrics = metrics;
        this.boundary = boundary;
        this.version = readVersion();
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
        JsonReply.sendBytes(exchange, 200, READY);
    }

    private void metrics(HttpServerExchange exchange) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        metrics.write(out);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, metrics.contentType());
        exchange.getResponseSender().send(ByteBuffer.wrap(out.toByteArray()));
    }

    /** tally-version.properties is filled in by the Maven build (project version, git commit). */
    private static Map<String, String> readVersion() {
        Properties p = new Properties();
        try (InputStream in = OpsRoutes.class.getResourceAsStream("/tally-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("version", p.getProperty("version", "unknown"), "commit", p.getProperty("commit", "unknown"));
    }
}
