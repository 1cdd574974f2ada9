package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tally.store.DatasetMeta;
import tally.store.DatasetPage;
import tally.store.DatasetStore;

/** {@code GET /datasets}: past datasets, newest first, a page at a time, each with a link to delete it (after asking, see {@link DeletePage}). */
public final class DatasetListPage implements HttpHandler {

    static final int PAGE_SIZE = 50;

    private final DatasetStore store;
    private final Layout layout;

    public DatasetListPage(DatasetStore store, Layout layout) {
        this.store = store;
        this.layout = layout;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        DatasetPage page = store.list(PageResponse.param(exchange, "cursor"), PAGE_SIZE);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DatasetMeta meta : page.datasets()) {
            rows.add(row(meta));
        }
        String deleted = PageResponse.param(exchange, "deleted");
        Map<String, Object> model = new HashMap<>();
        model.put("rows", rows);
        model.put("datasets", !rows.isEmpty());
        model.put("notice", deleted == null ? null : "Deleted the dataset " + deleted + ".");
        model.put("more", page.nextCursor() == null ? null
                : "/datasets?cursor=" + URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8));
        PageResponse.html(exchange, StatusCodes.OK, layout.page(exchange, "Datasets", "datasets.html", model));
    }

    private static Map<String, Object> row(DatasetMeta meta) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", meta.id());
        row.put("name", DatasetNames.shown(meta));
        row.put("href", "/datasets/" + meta.id());
        row.put("deleteAction", "/datasets/" + meta.id() + "/delete");
        row.put("status", meta.status().json());
        row.put("reason", meta.reason());
        row.put("lines", meta.counters() == null ? "" : Numbers.grouped(meta.counters().lines()));
        row.put("kept", meta.counters() == null ? "" : Numbers.grouped(meta.counters().kept()));
        row.put("created", Dates.shown(meta.created()));
        row.put("createdIso", meta.created());
        return row;
    }
}
