package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;

/**
 * {@code Strict-Transport-Security} on every answer over HTTPS (RFC 6797): a browser that has seen it
 * goes straight to HTTPS for this host for a year, so a network attacker cannot strip TLS from a later
 * visit. Not sent over plain HTTP, where the RFC says browsers must ignore it. No
 * {@code includeSubDomains}: the server cannot know what else runs under its domain.
 */
public final class StrictTransportSecurity implements HttpHandler {
    private static final HttpString HEADER = new HttpString("Strict-Transport-Security");
    static final String ONE_YEAR = "max-age=31536000";

    private final HttpHandler next;

    public StrictTransportSecurity(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if ("https".equals(exchange.getRequestScheme())) {
            exchange.getResponseHeaders().put(HEADER, ONE_YEAR);
        }
        next.handleRequest(exchange);
    }
}
