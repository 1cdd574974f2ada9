package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's routes: an Undertow {@link RoutingHandler}, plus the templates registered for each
 * method, so that a 405 can carry the {@code Allow} header RFC 9110 (section 15.5.6) requires.
 * RoutingHandler keeps its own method-to-template map to itself, so every route is added here, which
 * records it and passes it on. A path's allowed methods are those whose templates match it, the same
 * matching the RoutingHandler does per method. A path no template matches is a 404, one matched only
 * for other methods a 405; both are {@code problem+json} (see {@link Problems}).
 */
public final class RouteTable implements HttpHandler {
    /** The order methods are listed in {@code Allow}; others follow alphabetically. */
    private static final List<String> METHOD_ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS");
    private static final Comparator<String> BY_METHOD_ORDER = Comparator
            .comparingInt((String method) -> {
                int rank = METHOD_ORDER.indexOf(method);
                return rank < 0 ? METHOD_ORDER.size() : rank;
            })
            .thenComparing(Comparator.naturalOrder());

    private final RoutingHandler routing = new RoutingHandler()
            .setFallbackHandler(ex -> {
                throw Problem.notFound("no route for " + ex.getRequestPath()).toException();
            })
            .setInvalidMethodHandler(this::methodNotAllowed);
    /** Per method, its templates (the values are the templates too; only whether one matches counts). */
    private final Map<HttpString, PathTemplateMatcher<String>> templates = new ConcurrentHashMap<>();

    /**
     * A GET route, and the same for HEAD (RFC 9110, section 9.3.2: what GET would answer, without the
     * body, which Undertow leaves out for a HEAD request); load balancers and uptime checkers send HEAD.
     */
    public RouteTable get(String template, HttpHandler handler) {
        add(Methods.HEAD, template, handler);
        return add(Methods.GET, template, handler);
    }

    public RouteTable post(String template, HttpHandler handler) {
        return add(Methods.POST, template, handler);
    }

    public RouteTable put(String template, HttpHandler handler) {
        return add(Methods.PUT, template, handler);
    }

    public RouteTable delete(String template, HttpHandler handler) {
        return add(Methods.DELETE, template, handler);
    }

    public RouteTable add(HttpString method, String template, HttpHandler handler) {
        routing.add(method, template, handler);
        record(method, template);
        return this;
    }

    /** Adds every route of {@code other} (which keeps them too). */
    public RouteTable addAll(RouteTable other) {
        routing.addAll(other.routing);
        other.templates.forEach((method, matcher) -> matcher.getPathTemplates()
                .forEach(template -> record(method, template.getTemplateString())));
        return this;
    }

    private synchronized void record(HttpString method, String template) {
        PathTemplateMatcher<String> matcher = templates.computeIfAbsent(method, m -> new PathTemplateMatcher<>());
        // A template may be added twice for a method (RoutingHandler allows it); the matcher refuses duplicates.
        if (matcher.get(template) == null) {
            matcher.add(template, template);
        }
    }

    /** The methods routed for {@code relativePath}, GET, HEAD, POST, PUT, PATCH, DELETE first; empty if none. */
    List<String> allowedMethods(String relativePath) {
        List<String> allowed = new ArrayList<>();
        templates.forEach((method, matcher) -> {
            if (matcher.match(relativePath) != null) {
                allowed.add(method.toString());
            }
        });
        allowed.sort(BY_METHOD_ORDER);
        return allowed;
    }

    /** Every template with its methods (in {@code Allow}'s order), templates sorted: for checks against documentation. */
    public SortedMap<String, List<String>> methodsByTemplate() {
        SortedMap<String, List<String>> routes = new TreeMap<>();
        templates.forEach((method, matcher) -> matcher.getPathTemplates().forEach(template -> routes
                .computeIfAbsent(template.getTemplateString(), t -> new ArrayList<>()).add(method.toString())));
        routes.values().forEach(methods -> methods.sort(BY_METHOD_ORDER));
        return routes;
    }

    private void methodNotAllowed(HttpServerExchange exchange) {
        String allow = String.join(", ", allowedMethods(exchange.getRelativePath()));
        // Problems.send keeps the headers already set, so Allow goes out with the problem body.
        exchange.getResponseHeaders().put(Headers.ALLOW, allow);
        throw Problem.of(405, "Method Not Allowed", exchange.getRequestMethod() + " is not allowed on "
                + exchange.getRequestPath() + "; allowed: " + allow).toException();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        // A '?' in the decoded path was sent escaped (%3F). Undertow's templates end a parameter at '?', so
        // PUT /api/datasets/a%3Fb/input was routed as PUT /api/datasets/a and created dataset "a" (found by the
        // property-based run of the API, ApiPropertiesTest). No route has a '?': the path is unknown.
        if (exchange.getRelativePath().indexOf('?') >= 0) {
            throw Problem.notFound("no route for " + exchange.getRequestPath()).toException();
        }
        routing.handleRequest(exchange);
    }
}
