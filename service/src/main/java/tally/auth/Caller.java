package tally.auth;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.Optional;

/**
 * Who sent a request, as {@link AccessGuard} found out: the name of the token (from the token file),
 * and whether it came through a browser session (which can be signed out) or a bearer token.
 */
public record Caller(String name, boolean viaSession) {
    static final AttachmentKey<Caller> KEY = AttachmentKey.create(Caller.class);

    /** The caller of this request, if it authenticated (nobody does on a server without tokens). */
    public static Optional<Caller> of(HttpServerExchange exchange) {
        return Optional.ofNullable(exchange.getAttachment(KEY));
    }
}
