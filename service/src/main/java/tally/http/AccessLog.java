package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.logging.Logger;

/** One line per request once it completes: client, request line, status, bytes sent, milliseconds. */
final class AccessLog implements HttpHandler {
    private static final Logger LOG = Logger.getLogger("tally.access");

    private final HttpHandler next;

    AccessLog(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        long start = System.nanoTime();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                String query = ex.getQueryString().isEmpty() ? "" : "?" + ex.getQueryString();
                LOG.info(() -> String.format("%s \"%s %s%s\" %d %d %.1fms",
                        ex.getSourceAddress() == null ? "-" : ex.getSourceAddress().getAddress().getHostAddress(),
                        ex.getRequestMethod(), ex.getRequestPath(), query, ex.getStatusCode(),
                        ex.getResponseBytesSent(), (System.nanoTime() - start) / 1e6));
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }
}
