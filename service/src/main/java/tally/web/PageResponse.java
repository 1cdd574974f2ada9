package tally.web;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import tally.store.DatasetIds;
import tally.store.DatasetMeta;
import tally.store.DatasetStore;

/** Reads page parameters; ends an exchange with a page or a redirect. Pages carry CSRF tokens, so no cache may keep them. */
final class PageResponse {

    private PageResponse() {
    }

    /** The first value of a query or path parameter ({@code {id}} in a route template), or null. */
    static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.getFirst().isBlank() ? null : values.getFirst();
    }

    static void html(HttpServerExchange exchange, int status, Html page) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/html; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(page.markup());
    }

    /** 303 See Other: after a form post the browser GETs {@code location}, so a reload does not post again. */
    static void seeOther(HttpServerExchange exchange, String location) {
        exchange.setStatusCode(StatusCodes.SEE_OTHER);
        exchange.getResponseHeaders().put(Headers.LOCATION, location).put(Headers.CACHE_CONTROL, "no-store");
        exchange.endExchange();
    }

    /** The page for an id that names no dataset (never was, or deleted since). */
    /**
     * The dataset the {@code id} path parameter names, or empty once a "No such dataset" page has
     * answered (an id that cannot be one is not looked up).
     */
    static Optional<DatasetMeta> datasetOrNotFound(HttpServerExchange exchange, DatasetStore store, Layout layout) {
        String id = param(exchange, "id");
        Optional<DatasetMeta> found = DatasetIds.isValid(id) ? store.find(id) : Optional.empty();
        if (found.isEmpty()) {
            noSuchDataset(exchange, layout, id);
        }
        return found;
    }

    static void noSuchDataset(HttpServerExchange exchange, Layout layout, String id) {
        html(exchange, StatusCodes.NOT_FOUND, layout.page(exchange, "Not found", "message.html", Map.of(
                "isError", true, "heading", "No such dataset",
                "detail", "There is no dataset with the id " + id + ". It may have been deleted.")));
    }
}
