package tally.web;

import java.util.HashMap;
import java.util.Map;

/** Puts a rendered page body into the common frame: head, stylesheet, header, footer, optional script. */
public final class Layout {

    private final Templates templates;
    private final StaticFiles assets;
    private final String version;

    public Layout(Templates templates, StaticFiles assets, String version) {
        this.templates = templates;
        this.assets = assets;
        this.version = version;
    }

    /** The body template rendered with {@code model}, framed. */
    public Html page(String title, String bodyTemplate, Map<String, ?> model) {
        return frame(title, null, templates.render(bodyTemplate, model));
    }

    /** Like {@link #page} with an ES module from the static files ({@code script}, e.g. {@code upload.js}). */
    public Html pageWithScript(String title, String script, String bodyTemplate, Map<String, ?> model) {
        return frame(title, assets.url(script), templates.render(bodyTemplate, model));
    }

    private Html frame(String title, String scriptUrl, Html body) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("script", scriptUrl);
        model.put("body", body);
        model.put("version", version);
        model.put("assets", Map.of("css", assets.url("tally.css"), "icon", assets.url("favicon.svg")));
        return templates.render("layout.html", model);
    }
}
