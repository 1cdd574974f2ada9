package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tally.auth.Authentication;

/**
 * {@code POST /signin}: checks the pasted token and, if it is one of the server's, starts a session
 * (its cookie) and sends the person on to where they were going. The form carries the CSRF token like
 * the others, so another site cannot sign a visitor in under its own token. A wrong token shows the form
 * again with what to do; it counts against the address like a wrong bearer token, and an address with
 * too many of those is told how long to wait.
 */
final class SignInAction implements HttpHandler {
    /** A CSRF token, a long token and a path: anything bigger is not our form. */
    private static final long MAX_FORM_BYTES = 8192;

    private final Authentication authentication;
    private final SignInPage page;
    private final CsrfToken csrf;

    SignInAction(Authentication authentication, SignInPage page, CsrfToken csrf) {
        this.authentication = authentication;
        this.page = page;
        this.csrf = csrf;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.setMaxEntitySize(MAX_FORM_BYTES);
        exchange.getRequestReceiver().receiveFullString((ex, body) -> signIn(ex, body),
                (ex, error) -> page.show(ex, StatusCodes.BAD_REQUEST, "/", null, new FormPage.FormError(
                        "That did not work", "The sign-in could not be read. Reload the page and try again.")),
                StandardCharsets.UTF_8);
    }

    private void signIn(HttpServerExchange exchange, String body) {
        String next = DeleteAction.field(body, "next");
        if (authentication == null) {
            PageResponse.seeOther(exchange, SignInPage.safeNext(next));
            return;
        }
        if (!csrf.matches(exchange, DeleteAction.field(body, CsrfToken.FIELD))) {
            page.show(exchange, StatusCodes.FORBIDDEN, next, null, new FormPage.FormError("This page has expired",
                    "The page was open too long, or cookies are blocked for this site. Paste the token again."));
            return;
        }
        long wait = authentication.retryAfterSeconds(exchange);
        if (wait > 0) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(wait));
            page.show(exchange, StatusCodes.TOO_MANY_REQUESTS, next, null, new FormPage.FormError(
                    "Too many wrong tokens", "This address sent too many wrong tokens in the last minute. Wait "
                            + wait + " seconds, then try again with a token from the server's operator."));
            return;
        }
        Optional<String> name = authentication.signIn(exchange, DeleteAction.field(body, "token"));
        if (name.isEmpty()) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"tally\", error=\"invalid_token\"");
            page.show(exchange, StatusCodes.UNAUTHORIZED, next, null, new FormPage.FormError(
                    "That token does not work here",
                    "It is not one of this server's tokens, or it has been revoked. Check that you pasted all of it, "
                            + "or ask the server's operator for a current one."));
            return;
        }
        PageResponse.seeOther(exchange, SignInPage.safeNext(next));
    }
}
