package tally.progress;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.websockets.core.AbstractReceiveListener;
import tally.http.Origins;
import tally.http.Problem;
import tally.store.DatasetIds;

/**
 * {@code GET /ws/datasets/{id}}: the WebSocket endpoint. Browsers send {@code Origin} and Undertow
 * does not check it, so this does: it must name the host the request was sent to, or one of the
 * configured allowed origins; a request without {@code Origin} comes from a non-browser client and is
 * allowed (it could not have been forged by a page).
 */
public final class ProgressSocket implements HttpHandler {
    private final HttpHandler upgrade;
    private final Origins origins;

    public ProgressSocket(ProgressHub hub, Origins origins) {
        this.origins = origins;
        this.upgrade = Handlers.websocket((exchange, channel) -> {
            String id = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
            // Without a receive listener close frames from the client are never processed.
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
            });
            channel.resumeReceives();
            hub.subscribe(id, channel);
        }, exchange -> {
            throw Problem.badRequest("this is a WebSocket endpoint: send an Upgrade: websocket request").toException();
        });
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String id = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("id");
        if (!DatasetIds.isValid(id)) {
            throw Problem.badRequest("dataset ids match [A-Za-z0-9_-]{1,64}").toException();
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (origin != null && !origins.allows(origin, exchange)) {
            throw Problem.of(403, "Forbidden", "origin " + origin + " may not watch datasets here").toException();
        }
        upgrade.handleRequest(exchange);
    }
}
