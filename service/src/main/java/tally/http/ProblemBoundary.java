package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Wraps a handler so that anything it throws ends as a {@code problem+json} answer through
 * {@link Problems}. It sits at the top of the chain and around every handler dispatched to a worker
 * (Undertow would otherwise answer those with its own bare 500).
 */
public final class ProblemBoundary implements HttpHandler {
    private final Problems problems;
    private final HttpHandler next;

    public ProblemBoundary(Problems problems, HttpHandler next) {
        this.problems = problems;
        this.next = next;
    }

    /** Wraps handlers with the same {@link Problems}: used for handlers dispatched to a worker. */
    public record Factory(Problems problems) {
        public HttpHandler wrap(HttpHandler handler) {
            return new ProblemBoundary(problems, handler);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        try {
            next.handleRequest(exchange);
        } catch (Throwable e) {
            problems.send(exchange, e);
        }
    }
}
