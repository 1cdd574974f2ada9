package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Set;

/**
 * Refuses writes that a page of another site makes a visitor's browser send. A {@code text/plain} or
 * multipart {@code POST} is a "simple" request that any page may send without asking; the browser marks
 * it with {@code Origin} and {@code Sec-Fetch-Site}, and this handler answers 403 when those name
 * another site. curl and other programs send neither and are not affected; the pages' own requests come
 * from the same origin.
 */
public final class CrossSiteGuard implements HttpHandler {
    private static final HttpString SEC_FETCH_SITE = HttpString.tryFromString("Sec-Fetch-Site");
    private static final Set<HttpString> SAFE = Set.of(Methods.GET, Methods.HEAD, Methods.OPTIONS);

    private final Origins origins;
    private final HttpHandler next;

    public CrossSiteGuard(Origins origins, HttpHandler next) {
        this.origins = origins;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!SAFE.contains(exchange.getRequestMethod())) {
            String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
            String site = exchange.getRequestHeaders().getFirst(SEC_FETCH_SITE);
            boolean foreignSite = "cross-site".equals(site) || "same-site".equals(site);
            if ((origin != null && !origins.allows(origin, exchange)) || (origin == null && foreignSite)) {
                throw Problem.of(403, "Forbidden", "a page of another site (" + (origin == null ? site : origin)
                        + ") may not change datasets here: send the request from this server's own pages, or "
                        + "from a program, which sends no Origin").toException();
            }
        }
        next.handleRequest(exchange);
    }
}
