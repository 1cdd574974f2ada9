package tally.auth;

import io.prometheus.metrics.core.metrics.Counter;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.Headers;
import java.util.Optional;
import tally.http.Problem;

/**
 * Tells who a request comes from: a bearer token ({@code Authorization: Bearer TOKEN}, RFC 6750) or a
 * browser session cookie made by signing in with a token. Counts refusals, by reason, and throttles
 * clients that keep presenting wrong tokens ({@link FailedAttempts}).
 */
public final class Authentication {
    public static final String SESSION_COOKIE = "tally_session";
    static final String CHALLENGE = "Bearer realm=\"tally\"";
    static final String INVALID_TOKEN = CHALLENGE + ", error=\"invalid_token\"";

    private final Tokens tokens;
    private final Sessions sessions;
    private final FailedAttempts failures;
    private final Counter refusals;

    /** {@code refusals}: a counter labelled by reason (missing, invalid_token, throttled). */
    public Authentication(Tokens tokens, Sessions sessions, FailedAttempts failures, Counter refusals) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.failures = failures;
        this.refusals = refusals;
    }

    /**
     * The caller: a valid bearer token, else a live session; empty when the request carries neither.
     * A bearer token that is not one of ours is a 401 with {@code error="invalid_token"} (also where no
     * token is needed: the client should learn that its token is wrong), and a client that sent too
     * many of those is refused with 429 before its token is even looked at.
     */
    public Optional<Caller> identify(HttpServerExchange exchange) {
        String bearer = bearerToken(exchange);
        if (bearer != null) {
            throwIfThrottled(exchange);
            Optional<String> name = tokens.check(bearer);
            if (name.isEmpty()) {
                failures.record(exchange);
                refused("invalid_token");
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, INVALID_TOKEN);
                throw Problem.of(401, "Unauthorized", "this token is not valid here: it is not in the server's "
                        + "token file, or it was revoked. Send Authorization: Bearer TOKEN with a current token")
                        .toException();
            }
            return Optional.of(new Caller(name.get(), false));
        }
        return session(exchange).map(session -> new Caller(session.name(), true));
    }

    /** The request's live session; one whose token has been revoked since counts as none. */
    public Optional<Sessions.Session> session(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
        return cookie == null ? Optional.empty() : sessions.find(cookie.getValue())
                .filter(session -> tokens.nameOf(session.tokenDigest()).isPresent());
    }

    /** 429 with Retry-After when this client sent too many wrong tokens lately. */
    public void throwIfThrottled(HttpServerExchange exchange) {
        long wait = failures.retryAfterSeconds(exchange);
        if (wait > 0) {
            refused("throttled");
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(wait));
            throw Problem.of(429, "Too Many Requests", "too many wrong tokens from this address in the last "
                    + FailedAttempts.WINDOW.toSeconds() + " seconds; retry in " + wait + " seconds with a valid one")
                    .toException();
        }
    }

    /** Seconds this client must wait before presenting a token again; 0 if it may now. */
    public long retryAfterSeconds(HttpServerExchange exchange) {
        return failures.retryAfterSeconds(exchange);
    }

    /**
     * Signs a browser in with {@code token}: a new session and its cookie (HttpOnly, SameSite=Strict,
     * Secure over HTTPS, for {@link Sessions#LIFETIME}); the token's name. A wrong token is counted
     * against the client's address like a wrong bearer token.
     */
    public Optional<String> signIn(HttpServerExchange exchange, String token) {
        Optional<String> name = token == null ? Optional.empty() : tokens.check(token.strip());
        if (name.isEmpty()) {
            failures.record(exchange);
            refused("invalid_token");
            return name;
        }
        String id = sessions.create(name.get(), TokenFile.digest(token.strip()));
        exchange.setResponseCookie(sessionCookie(exchange, id, (int) Sessions.LIFETIME.toSeconds()));
        return name;
    }

    /** Ends the request's session, if any, and tells the browser to forget its cookie. */
    public void signOut(HttpServerExchange exchange) {
        Cookie cookie = exchange.getRequestCookie(SESSION_COOKIE);
        if (cookie != null) {
            sessions.end(cookie.getValue());
            exchange.setResponseCookie(sessionCookie(exchange, "", 0));
        }
    }

    /** Counts a refusal: missing (no credentials where they are needed), invalid_token or throttled. */
    void refused(String reason) {
        refusals.labelValues(reason).inc();
    }

    private static Cookie sessionCookie(HttpServerExchange exchange, String value, int maxAgeSeconds) {
        return new CookieImpl(SESSION_COOKIE, value).setPath("/").setHttpOnly(true).setSameSiteMode("Strict")
                .setSecure("https".equals(exchange.getRequestScheme())).setMaxAge(maxAgeSeconds);
    }

    /** The token of {@code Authorization: Bearer TOKEN}; null without one (or with another scheme). */
    static String bearerToken(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }
}
