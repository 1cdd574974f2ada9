package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tally.auth.Authentication;

/**
 * {@code POST /signout}: the header's Sign out button. Ends the session on the server (its id is worth
 * nothing afterwards, even if copied) and clears the cookie. A POST with the CSRF token, so another site
 * cannot sign a visitor out.
 */
final class SignOutAction implements HttpHandler {
    private static final long MAX_FORM_BYTES = 4096;

    private final Authentication authentication;
    private final Layout layout;
    private final CsrfToken csrf;

    SignOutAction(Authentication authentication, Layout layout, CsrfToken csrf) {
        this.authentication = authentication;
        this.layout = layout;
        this.csrf = csrf;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.setMaxEntitySize(MAX_FORM_BYTES);
        exchange.getRequestReceiver().receiveFullString((ex, body) -> {
            if (!csrf.matches(ex, DeleteAction.field(body, CsrfToken.FIELD))) {
                PageResponse.html(ex, StatusCodes.FORBIDDEN, layout.page(ex, "This page has expired", "message.html",
                        Map.of("isError", true, "heading", "This page has expired",
                                "detail", "The Sign out button belonged to an older page. Reload the page and retry.")));
                return;
            }
            if (authentication != null) {
                authentication.signOut(ex);
            }
            PageResponse.seeOther(ex, "/signin?why=signedout");
        }, (ex, error) -> PageResponse.seeOther(ex, "/"), StandardCharsets.UTF_8);
    }
}
