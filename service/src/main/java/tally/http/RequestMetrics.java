package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;

/**
 * Counts requests by route template (not the raw path: ids would make the label set unbounded),
 * method and status.
 */
public final class RequestMetrics implements HttpHandler {
    private final Metrics metrics;
    private final HttpHandler next;

    public RequestMetrics(Metrics metrics, HttpHandler next) {
        this.metrics = metrics;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            try {
                PathTemplateMatch match = ex.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
                String route = match == null ? "unmatched" : match.getMatchedTemplate();
                metrics.requests.labelValues(route, ex.getRequestMethod().toString(),
                        Integer.toString(ex.getStatusCode())).inc();
            } finally {
                nextListener.proceed();
            }
        });
        next.handleRequest(exchange);
    }
}
