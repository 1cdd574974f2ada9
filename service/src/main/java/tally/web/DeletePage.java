package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tally.store.DatasetMeta;
import tally.store.DatasetStore;

/**
 * {@code GET /datasets/{id}/delete}: asks before deleting. A deleted dataset cannot be brought back,
 * so the list's Delete is a link to this page, whose form (with the CSRF token) does the deleting;
 * a stray click costs one more click, not a dataset. Works without script.
 */
public final class DeletePage implements HttpHandler {
    private final DatasetStore store;
    private final Layout layout;
    private final CsrfToken csrf;

    public DeletePage(DatasetStore store, Layout layout, CsrfToken csrf) {
        this.store = store;
        this.layout = layout;
        this.csrf = csrf;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Optional<DatasetMeta> found = PageResponse.datasetOrNotFound(exchange, store, layout);
        if (found.isEmpty()) {
            return;
        }
        DatasetMeta meta = found.get();
        Map<String, Object> model = new HashMap<>();
        model.put("csrf", csrf.issue(exchange));
        model.put("id", meta.id());
        model.put("name", DatasetNames.shown(meta));
        model.put("href", "/datasets/" + meta.id());
        model.put("deleteAction", "/datasets/" + meta.id() + "/delete");
        PageResponse.html(exchange, StatusCodes.OK, layout.page(exchange, "Delete " + DatasetNames.shown(meta), "delete.html", model));
    }
}
