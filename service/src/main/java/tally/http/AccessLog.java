package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One line per request once it completes: client, request line, status, bytes sent, milliseconds. */
public final class AccessLog implements HttpHandler {
    private static final Logger LOG = Logger.getLogger("tally.access");
    private static final String SOURCE = AccessLog.class.getName();

    private final HttpHandler next;

    public AccessLog(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                // logp names the source: otherwise the formatter walks the stack to infer it on every
                // request (9% of GET samples under wrk, see bench/profile-notes.md).
                LOG.logp(Level.INFO, SOURCE, "request", () -> line(ex, start));
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }

    private static String line(HttpServerExchange ex, long start) {
        long tenthsOfMs = (System.nanoTime() - start) / 100_000;
        StringBuilder line = new StringBuilder(96)
                .append(ex.getSourceAddress() == null ? "-" : ex.getSourceAddress().getAddress().getHostAddress())
                .append(" \"").append(ex.getRequestMethod()).append(' ').append(ex.getRequestPath());
        if (!ex.getQueryString().isEmpty()) {
            line.append('?').append(ex.getQueryString());
        }
        return line.append("\" ").append(ex.getStatusCode()).append(' ').append(ex.getResponseBytesSent())
                .append(' ').append(tenthsOfMs / 10).append('.').append(tenthsOfMs % 10).append("ms").toString();
    }
}
