package tally.auth;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import tally.http.Problem;

/**
 * Lets through only those allowed, once the server has a token file: every write (any method but GET,
 * HEAD and OPTIONS) needs a caller, and with {@code --read-access token} every read too. Open to anyone
 * whatever the settings: {@code /healthz}, {@code /readyz} and {@code /version} (load balancers and the
 * deploy tool have no token), the sign-in page with sign-out, and the static files the page loads.
 *
 * <p>It sits in front of the routes, so a refused upload is answered before its body is read (and
 * before {@code 100 Continue}). A program gets 401 with {@code WWW-Authenticate: Bearer} and a problem
 * saying how to authenticate; a person on a page is sent to the sign-in page (303), which says why.
 */
public final class AccessGuard implements HttpHandler {
    static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", "/version", "/signin", "/signout");
    static final String OPEN_PREFIX = "/static/";
    private static final Set<HttpString> READS = Set.of(Methods.GET, Methods.HEAD, Methods.OPTIONS);

    private final Authentication authentication;
    private final ReadAccess readAccess;
    private final HttpHandler next;

    public AccessGuard(Authentication authentication, ReadAccess readAccess, HttpHandler next) {
        this.authentication = authentication;
        this.readAccess = readAccess;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<Caller> caller = authentication.identify(exchange);
        if (caller.isPresent()) {
            exchange.putAttachment(Caller.KEY, caller.get());
        } else if (needsCaller(exchange)) {
            refuse(exchange);
            return;
        }
        next.handleRequest(exchange);
    }

    private boolean needsCaller(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        if (OPEN_PATHS.contains(path) || path.startsWith(OPEN_PREFIX)) {
            return false;
        }
        return !READS.contains(exchange.getRequestMethod()) || readAccess == ReadAccess.TOKEN;
    }

    private void refuse(HttpServerExchange exchange) {
        authentication.refused("missing");
        boolean write = !READS.contains(exchange.getRequestMethod());
        if (isPage(exchange.getRequestPath())) {
            if (!exchange.isRequestComplete()) {
                exchange.setPersistent(false); // the form's body is not read: close after the redirect
            }
            exchange.setStatusCode(StatusCodes.SEE_OTHER);
            exchange.getResponseHeaders()
                    .put(Headers.LOCATION, "/signin?why=" + (write ? "write" : "read") + "&next="
                            + URLEncoder.encode(returnPath(exchange, write), StandardCharsets.UTF_8))
                    .put(Headers.CACHE_CONTROL, "no-store");
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, Authentication.CHALLENGE);
        throw Problem.of(401, "Unauthorized", (write ? "changing datasets" : "reading datasets")
                + " on this server needs a token: send Authorization: Bearer TOKEN with a token its operator gave you"
                + " (a line of the server's token file, or tally-deploy token create), or sign in at /signin in a"
                + " browser").toException();
    }

    /** The pages, as opposed to the API, the WebSocket and the metrics, whose clients are programs. */
    static boolean isPage(String path) {
        return !path.startsWith("/api/") && !"/api".equals(path) && !path.startsWith("/ws/")
                && !"/metrics".equals(path);
    }

    /**
     * Where to go once signed in: the page itself for a read; for a refused form post, the page the form
     * was on (its same-origin Referer, sent under our Referrer-Policy), else the start page.
     */
    private static String returnPath(HttpServerExchange exchange, boolean write) {
        if (!write) {
            String query = exchange.getQueryString();
            return exchange.getRequestPath() + (query.isEmpty() ? "" : "?" + query);
        }
        String referer = exchange.getRequestHeaders().getFirst(Headers.REFERER);
        if (referer != null) {
            try {
                URI uri = URI.create(referer);
                if (exchange.getHostAndPort().equalsIgnoreCase(uri.getRawAuthority()) && uri.getRawPath() != null
                        && uri.getRawPath().startsWith("/")) {
                    return uri.getRawPath();
                }
            } catch (IllegalArgumentException e) {
                return "/";
            }
        }
        return "/";
    }
}
