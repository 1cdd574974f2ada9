package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /}: the dataset form. Also renders the form again, filled in, with a message when a
 * no-script submission was refused ({@link #showAgain}).
 */
public final class FormPage implements HttpHandler {

    /** A refusal the person can act on, shown above the form. */
    public record FormError(String title, String detail) {}

    private final Layout layout;
    private final CsrfToken csrf;
    private final long maxUploadBytes;

    public FormPage(Layout layout, CsrfToken csrf, long maxUploadBytes) {
        this.layout = layout;
        this.csrf = csrf;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        PageResponse.html(exchange, StatusCodes.OK, render(exchange, "", "", null));
    }

    /** The form with what was typed and the reason it was refused; {@code status} is a 4xx. */
    public void showAgain(HttpServerExchange exchange, int status, String name, String text, FormError error) {
        PageResponse.html(exchange, status, render(exchange, name, text, error));
    }

    private Html render(HttpServerExchange exchange, String name, String text, FormError error) {
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", csrf.issue(exchange));
        model.put("name", name);
        model.put("text", text);
        model.put("error", error);
        model.put("maxBytes", maxUploadBytes);
        model.put("maxSize", Numbers.limit(maxUploadBytes));
        return layout.pageWithScript(exchange, error == null ? "New dataset" : "Please check the form", "upload.js",
                "index.html", model);
    }
}
