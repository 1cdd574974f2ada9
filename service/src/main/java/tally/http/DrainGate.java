package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Once a stop has begun, new requests get a 503 problem (the load balancer should already have
 * seen {@code /readyz} fail). {@code /healthz} and {@code /readyz} still answer, past the graceful
 * shutdown handler (which would refuse them too), so that the load balancer can tell "alive but
 * draining" from "gone".
 */
public final class DrainGate implements HttpHandler {
    private final Lifecycle lifecycle;
    private final HttpHandler probes;
    private final HttpHandler next;

    public DrainGate(Lifecycle lifecycle, HttpHandler probes, HttpHandler next) {
        this.lifecycle = lifecycle;
        this.probes = probes;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!lifecycle.isDraining()) {
            next.handleRequest(exchange);
            return;
        }
        String path = exchange.getRequestPath();
        if (!path.equals("/healthz") && !path.equals("/readyz")) {
            throw Problem.unavailable("the server is shutting down; retry on another instance").toException();
        }
        probes.handleRequest(exchange);
    }
}
