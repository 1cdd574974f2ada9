package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Runs the rest of the chain on a worker thread. Put in front of the routes when the dataset store
 * answers over the network (S3): a read of a dataset's metadata then takes milliseconds, seconds while
 * the SDK retries, and an IO thread (one per core) waiting on it would stall every connection it serves.
 */
public final class OffIoThread implements HttpHandler {
    private final HttpHandler next;

    public OffIoThread(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        next.handleRequest(exchange);
    }
}
