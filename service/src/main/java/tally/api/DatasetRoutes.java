package tally.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;
import tally.http.JsonReply;
import tally.http.Problem;
import tally.http.ProblemBoundary;
import tally.http.Problems;
import tally.http.RouteTable;
import tally.ingest.Ingest;
import tally.job.TagStatsJob;
import tally.store.DatasetIds;
import tally.store.DatasetMeta;
import tally.store.DatasetPage;
import tally.store.DatasetStore;

/**
 * The dataset API (the README's API table): upload with POST or PUT, read the list, one dataset, its
 * rows and its original input, delete. Listing is paginated with {@code ?limit=} (1-1000, default 50)
 * and an opaque {@code ?cursor=} taken from the previous page's {@code next_cursor}: a cursor names
 * the last dataset seen, so pages do not shift when datasets are added or deleted meanwhile.
 */
public final class DatasetRoutes {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    private final DatasetStore store;
    private final Ingest ingest;
    private final ObjectMapper json;
    private final Problems problems;
    private final ProblemBoundary.Factory boundary;
    private final MetaBodies bodies;

    public DatasetRoutes(DatasetStore store, Ingest ingest, ObjectMapper json, Problems problems,
            ProblemBoundary.Factory boundary) {
        this.store = store;
        this.ingest = ingest;
        this.json = json;
        this.problems = problems;
        this.boundary = boundary;
        this.bodies = new MetaBodies(json);
    }

    public void addTo(RouteTable routes) {
        routes.post("/api/datasets", this::post);
        routes.put("/api/datasets/{id}", this::put);
        routes.get("/api/datasets", this::list);
        routes.add(Methods.HEAD, "/api/datasets", this::list);
        routes.get("/api/datasets/{id}", this::show);
        routes.add(Methods.HEAD, "/api/datasets/{id}", this::show);
        routes.get("/api/datasets/{id}/rows.tsv", ex -> ex.dispatch(boundary.wrap(this::rows)));
        routes.add(Methods.HEAD, "/api/datasets/{id}/rows.tsv", ex -> ex.dispatch(boundary.wrap(this::rows)));
        routes.get("/api/datasets/{id}/input", ex -> ex.dispatch(boundary.wrap(this::input)));
        routes.add(Methods.HEAD, "/api/datasets/{id}/input", ex -> ex.dispatch(boundary.wrap(this::input)));
        routes.delete("/api/datasets/{id}", ex -> ex.dispatch(boundary.wrap(this::delete)));
    }

    private void post(HttpServerExchange exchange) {
        ingest.start(exchange, DatasetIds.newId(), query(exchange, "name"), Ingest.Options.API, created());
    }

    private void put(HttpServerExchange exchange) {
        String id = id(exchange);
        if (store.find(id).isPresent()) {
            throw Problem.conflict("dataset '" + id + "' already exists; PUT creates, it does not replace")
                    .toException();
        }
        ingest.start(exchange, id, query(exchange, "name"), Ingest.Options.API, created());
    }

    private Ingest.Listener created() {
        return new Ingest.Listener() {
            @Override
            public void completed(HttpServerExchange exchange, DatasetMeta meta) {
                exchange.getResponseHeaders().put(Headers.LOCATION, "/api/datasets/" + meta.id());
                JsonReply.send(exchange, json, 201, meta);
            }

            @Override
            public void failed(HttpServerExchange exchange, Problem problem) {
                problems.send(exchange, problem);
            }
        };
    }

    private void list(HttpServerExchange exchange) {
        int limit = DEFAULT_LIMIT;
        String limitParam = query(exchange, "limit");
        if (limitParam != null) {
            // Digits only: Integer.parseInt also takes "+5", which openapi.json's integer does not (ApiPropertiesTest).
            limit = limitParam.matches("[0-9]{1,4}") ? Integer.parseInt(limitParam) : -1;
            if (limit < 1 || limit > MAX_LIMIT) {
                throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT).toException();
            }
        }
        DatasetPage page = store.list(query(exchange, "cursor"), limit);
        JsonReply.send(exchange, json, 200, page);
    }

    private void show(HttpServerExchange exchange) {
        JsonReply.sendBytes(exchange, 200, bodies.of(existing(exchange)));
    }

    /** On a worker thread: the rows file streamed as it is read (blocking IO is fine off the IO thread). */
    private void rows(HttpServerExchange exchange) throws IOException {
        DatasetMeta meta = complete(exchange);
        byte[] header = "true".equals(query(exchange, "header"))
                ? TagStatsJob.HEADER.getBytes(StandardCharsets.UTF_8) : new byte[0];
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/tab-separated-values; charset=utf-8");
        exchange.setResponseContentLength(header.length + meta.sizes().rowsBytes());
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
            return;
        }
        try (InputStream in = store.openRows(meta.id())) {
            stream(exchange, header, in);
        }
    }

    private void input(HttpServerExchange exchange) throws IOException {
        DatasetMeta meta = complete(exchange);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/x-ndjson");
        exchange.setResponseContentLength(meta.sizes().inputBytes());
        if (exchange.getRequestMethod().equals(Methods.HEAD)) {
            exchange.endExchange();
            return;
        }
        try (InputStream in = store.openInput(meta.id())) {
            stream(exchange, new byte[0], in);
        }
    }

    private static void stream(HttpServerExchange exchange, byte[] first, InputStream in) throws IOException {
        exchange.startBlocking();
        try (OutputStream out = exchange.getOutputStream()) {
            out.write(first);
            in.transferTo(out);
        }
    }

    private void delete(HttpServerExchange exchange) throws IOException {
        String id = id(exchange);
        if (!store.delete(id)) {
            throw Problem.notFound("no dataset '" + id + "'").toException();
        }
        bodies.forget(id);
        exchange.setStatusCode(204);
        exchange.endExchange();
    }

    private DatasetMeta existing(HttpServerExchange exchange) {
        String id = id(exchange);
        return store.find(id).orElseThrow(() -> Problem.notFound("no dataset '" + id + "'").toException());
    }

    private DatasetMeta complete(HttpServerExchange exchange) {
        DatasetMeta meta = existing(exchange);
        if (!meta.isComplete()) {
            throw Problem.conflict("dataset '" + meta.id() + "' is " + meta.status().json()
                    + (meta.reason() == null ? "" : " (" + meta.reason() + ")") + "; only complete datasets have rows")
                    .toException();
        }
        return meta;
    }

    private static String id(HttpServerExchange exchange) {
        Map<String, String> params = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters();
        String id = params.get("id");
        if (!DatasetIds.isValid(id)) {
            throw Problem.badRequest("dataset ids match [A-Za-z0-9_-]{1,64}").toException();
        }
        return id;
    }

    private static String query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
