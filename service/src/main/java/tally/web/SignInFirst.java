package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import tally.auth.Caller;

/**
 * For the pages that only lead to a write (the dataset form, the delete confirmation): on a server with
 * tokens, a person who is not signed in is sent to the sign-in page first, rather than filling in a form
 * that would be refused. The writes themselves are guarded by {@link tally.auth.AccessGuard}.
 */
final class SignInFirst implements HttpHandler {
    private final HttpHandler next;

    SignInFirst(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (Caller.of(exchange).isEmpty()) {
            PageResponse.seeOther(exchange, "/signin?why=write&next="
                    + URLEncoder.encode(exchange.getRequestPath(), StandardCharsets.UTF_8));
            return;
        }
        next.handleRequest(exchange);
    }
}
