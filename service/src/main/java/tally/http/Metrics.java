package tally.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The service's Prometheus metrics, in a registry of its own (not the global default, so two servers
 * in one JVM, as in tests, do not share counts).
 */
public final class Metrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    public final Counter requests = Counter.builder().name("tally_http_requests_total")
            .help("HTTP requests by route template, method and status").labelNames("route", "method", "status")
            .register(registry);
    public final Counter bytesIngested = Counter.builder().name("tally_ingested_bytes_total")
            .help("Decompressed dataset bytes received by uploads").register(registry);
    public final Counter rowsWritten = Counter.builder().name("tally_rows_written_total")
            .help("Rows written by completed uploads").register(registry);
    public final Histogram uploadSeconds = Histogram.builder().name("tally_upload_duration_seconds")
            .help("Upload duration from first byte to answer, by outcome").labelNames("outcome")
            .classicUpperBounds(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300)
            .register(registry);
    public final Counter uploadsCut = Counter.builder().name("tally_uploads_refused_or_cut_total")
            .help("Uploads ended by the server's limits: idle, slow, per_client (429), busy (503)")
            .labelNames("reason").register(registry);
    public final Counter authRefusals = Counter.builder().name("tally_auth_refusals_total")
            .help("Requests refused for want of a valid token or session: missing, invalid_token, throttled (429)")
            .labelNames("reason").register(registry);
    public final Gauge authTokens = Gauge.builder().name("tally_auth_tokens")
            .help("Tokens in the token list, live or expired (none until the list has been read)")
            .labelNames("state").register(registry);
    public final Gauge authTokenListCurrent = Gauge.builder().name("tally_auth_token_list_current")
            .help("1 if the last read of the token list succeeded (or found it unchanged), 0 if it failed and the"
                    + " tokens read before are in force, or no list has been read yet")
            .register(registry);
    public final Gauge uploadsInFlight = Gauge.builder().name("tally_uploads_in_flight")
            .help("Uploads being received now").register(registry);

    private boolean jvmRegistered;

    public String contentType() {
        return writer.getContentType();
    }

    public void write(OutputStream out) throws IOException {
        registerJvmMetrics();
        writer.write(out, registry.scrape());
    }

    /**
     * JVM metrics are registered at the first scrape, not at start-up: registering them loads and
     * queries every MXBean, which took 1.7 s of a loaded 2-core machine's start (the start-up target wants
     * /readyz within 1 s). Their values are read from the MXBeans at each scrape, so nothing is lost.
     */
    private synchronized void registerJvmMetrics() {
        if (!jvmRegistered) {
            JvmMetrics.builder().register(registry);
            jvmRegistered = true;
        }
    }
}
