package tally.web;

import io.undertow.server.HttpServerExchange;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tally.auth.Caller;

/**
 * Puts a rendered page body into the common frame: head, stylesheet, header, footer, optional script.
 * On a server with tokens the header says who is signed in, with a sign-out button, or links to the
 * sign-in page.
 */
public final class Layout {

    private final Templates templates;
    private final StaticFiles assets;
    private final String version;
    private final CsrfToken csrf;
    private final boolean signInUsed;

    /** {@code signInUsed}: the server has tokens, so the header shows who is signed in. */
    public Layout(Templates templates, StaticFiles assets, String version, CsrfToken csrf, boolean signInUsed) {
        this.templates = templates;
        this.assets = assets;
        this.version = version;
        this.csrf = csrf;
        this.signInUsed = signInUsed;
    }

    /** The body template rendered with {@code model}, framed. */
    public Html page(HttpServerExchange exchange, String title, String bodyTemplate, Map<String, ?> model) {
        return frame(exchange, title, null, templates.render(bodyTemplate, model));
    }

    /** Like {@link #page} with an ES module from the static files ({@code script}, e.g. {@code upload.js}). */
    public Html pageWithScript(HttpServerExchange exchange, String title, String script, String bodyTemplate,
            Map<String, ?> model) {
        return frame(exchange, title, assets.url(script), templates.render(bodyTemplate, model));
    }

    private Html frame(HttpServerExchange exchange, String title, String scriptUrl, Html body) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("script", scriptUrl);
        model.put("body", body);
        model.put("version", version);
        model.put("assets", Map.of("css", assets.url("tally.css"), "icon", assets.url("favicon.svg")));
        model.put("account", signInUsed ? account(exchange) : null);
        return templates.render("layout.html", model);
    }

    private Map<String, Object> account(HttpServerExchange exchange) {
        Optional<Caller> caller = Caller.of(exchange);
        Map<String, Object> account = new HashMap<>();
        account.put("who", caller.map(Caller::name).orElse(null));
        account.put("canSignOut", caller.map(Caller::viaSession).orElse(false));
        account.put("signOutCsrf", caller.isPresent() ? csrf.issue(exchange) : null);
        return account;
    }
}
