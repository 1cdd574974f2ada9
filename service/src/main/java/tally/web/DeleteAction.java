package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import tally.store.DatasetBusyException;
import tally.store.DatasetIds;
import tally.store.DatasetStore;

/**
 * {@code POST /datasets/{id}/delete}: the list page's delete button, a small form with the CSRF token,
 * so deleting works without script too. Redirects back to the list (303).
 */
public final class DeleteAction implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(DeleteAction.class.getName());
    /** The form has one short field; anything bigger is not our form. */
    private static final long MAX_FORM_BYTES = 4096;

    private final DatasetStore store;
    private final Layout layout;
    private final CsrfToken csrf;

    public DeleteAction(DatasetStore store, Layout layout, CsrfToken csrf) {
        this.store = store;
        this.layout = layout;
        this.csrf = csrf;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String id = PageResponse.param(exchange, "id");
        exchange.setMaxEntitySize(MAX_FORM_BYTES);
        exchange.getRequestReceiver().receiveFullString(
                (ex, body) -> {
                    if (!csrf.matches(ex, field(body, CsrfToken.FIELD))) {
                        refuse(ex, StatusCodes.FORBIDDEN, "This page has expired",
                                "The delete button belonged to an older page. Open the list again and retry.");
                        return;
                    }
                    ex.dispatch(() -> delete(ex, id)); // the store touches the disk
                },
                (ex, error) -> refuse(ex, StatusCodes.BAD_REQUEST, "That did not work",
                        "The request could not be read. Open the list again and retry."),
                StandardCharsets.UTF_8);
    }

    private void delete(HttpServerExchange exchange, String id) {
        try {
            if (!DatasetIds.isValid(id) || !store.delete(id)) {
                refuse(exchange, StatusCodes.NOT_FOUND, "No such dataset",
                        "There is no dataset with the id " + id + ". It may have been deleted already.");
                return;
            }
            PageResponse.seeOther(exchange, "/datasets?deleted=" + id);
        } catch (DatasetBusyException e) {
            refuse(exchange, StatusCodes.CONFLICT, "Still uploading",
                    "This dataset is being uploaded right now. Delete it once it is complete or has failed.");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "deleting dataset " + id + " failed", e);
            refuse(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "Something went wrong on the server",
                    "The dataset could not be deleted; the error has been logged. Try again in a moment.");
        }
    }

    private void refuse(HttpServerExchange exchange, int status, String heading, String detail) {
        PageResponse.html(exchange, status, layout.page(exchange, heading, "message.html",
                Map.of("isError", true, "heading", heading, "detail", detail)));
    }

    /** One field of an {@code application/x-www-form-urlencoded} body; null when absent or malformed. */
    static String field(String body, String name) {
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
