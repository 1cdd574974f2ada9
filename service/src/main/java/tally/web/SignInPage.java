package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.HashMap;
import java.util.Map;
import tally.auth.Caller;

/**
 * {@code GET /signin}: where a person pastes a token. Pages that need a signed-in person send people here
 * with {@code ?why=} (write, read, expired) and {@code ?next=} (where to go afterwards), and the page
 * says why in words. {@link SignInAction} shows it again with the reason a sign-in was refused.
 */
final class SignInPage implements HttpHandler {
    private static final Map<String, String> WHY = Map.of(
            "write", "Sign in to add or delete datasets.",
            "read", "This server shows its datasets only to people who are signed in.",
            "expired", "You are no longer signed in (the session ended, or the server restarted). Sign in again "
                    + "to continue.",
            "signedout", "You are signed out.");

    private final Layout layout;
    private final CsrfToken csrf;
    private final boolean signInUsed;

    SignInPage(Layout layout, CsrfToken csrf, boolean signInUsed) {
        this.layout = layout;
        this.csrf = csrf;
        this.signInUsed = signInUsed;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String notice = WHY.get(String.valueOf(PageResponse.param(exchange, "why")));
        String who = Caller.of(exchange).map(Caller::name).orElse(null);
        if (who != null) {
            notice = "You are signed in as " + who + ". Sign in again to use another token.";
        }
        show(exchange, StatusCodes.OK, PageResponse.param(exchange, "next"), notice, null);
    }

    void show(HttpServerExchange exchange, int status, String next, String notice, FormPage.FormError error) {
        Map<String, Object> model = new HashMap<>();
        model.put("open", !signInUsed);
        model.put("csrf", csrf.issue(exchange));
        model.put("next", safeNext(next));
        model.put("notice", notice);
        model.put("error", error);
        PageResponse.html(exchange, status, layout.page(exchange, "Sign in", "signin.html", model));
    }

    /** A path on this server, or {@code /}: never another site (an open redirect would help phishing). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        return next;
    }
}
