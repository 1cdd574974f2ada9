package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Adds the browser-facing security headers to a page response, then calls {@code next}.
 *
 * <p>The Content-Security-Policy allows scripts, styles and images from this origin only: no inline
 * script or style, no {@code eval}, no plugins; forms post only here and pages cannot be framed. So even
 * if some user text escaped the templates' escaping, it could not run. {@code connect-src 'self'}
 * covers the progress WebSocket too (CSP Level 3 matches ws: and wss: on the same host).
 */
public final class SecurityHeaders implements HttpHandler {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final HttpString CSP = new HttpString("Content-Security-Policy");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString FRAME_OPTIONS = new HttpString("X-Frame-Options");

    private final HttpHandler next;

    public SecurityHeaders(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.getResponseHeaders()
                .put(CSP, POLICY)
                .put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .put(REFERRER_POLICY, "same-origin")
                .put(FRAME_OPTIONS, "DENY");
        next.handleRequest(exchange);
    }
}
