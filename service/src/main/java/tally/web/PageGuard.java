package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a page handler on a worker thread (pages read the store, which reads the disk) and turns
 * anything it throws into an HTML page: a bad parameter ({@link IllegalArgumentException}) is a 400 that
 * says what went wrong, anything else a 500 that says sorry without internals, logged once with the path.
 * The API's errors are JSON; a person clicking around should never see JSON or a stack trace.
 */
final class PageGuard implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(PageGuard.class.getName());

    private final Layout layout;
    private final HttpHandler next;

    PageGuard(Layout layout, HttpHandler next) {
        this.layout = layout;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        try {
            next.handleRequest(exchange);
        } catch (IllegalArgumentException e) {
            // A parameter the page cannot use (a cursor from nowhere, say): the visitor's to fix, not a fault.
            if (!exchange.isResponseStarted()) {
                PageResponse.html(exchange, StatusCodes.BAD_REQUEST, layout.page(exchange, "Bad request", "message.html",
                        Map.of("isError", true, "heading", "That address does not work",
                                "detail", e.getMessage() + ". Go back to the list and follow its links.")));
            }
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "page " + exchange.getRequestMethod() + " " + exchange.getRequestPath() + " failed", e);
            if (!exchange.isResponseStarted()) {
                PageResponse.html(exchange, StatusCodes.INTERNAL_SERVER_ERROR, layout.page(exchange, "Server error",
                        "message.html", Map.of("isError", true, "heading", "Something went wrong on the server",
                                "detail", "The error has been logged. Try again, or go back to the list.")));
            }
        }
    }
}
