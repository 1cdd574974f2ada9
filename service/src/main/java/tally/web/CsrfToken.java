package tally.web;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.Cookie;
import io.undertow.server.handlers.CookieImpl;
import io.undertow.util.AttachmentKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Cross-site request forgery protection for the page forms, by double submit: a random token lives in
 * a {@code SameSite=Strict}, HttpOnly cookie and in a hidden field of every form; a form post counts only
 * when both are present and equal. Another site can make a browser post our form, but it can neither
 * read nor set our cookie, so it cannot know the value to put in the field.
 *
 * <p>The upload form puts the field first, so {@link #matches} runs on the first multipart field,
 * before any file byte is accepted.
 */
public final class CsrfToken {

    public static final String FIELD = "csrf";
    static final String COOKIE = "tally_csrf";
    private static final AttachmentKey<String> ISSUED = AttachmentKey.create(String.class);

    private final SecureRandom random = new SecureRandom();

    /**
     * The browser's token, or a new one set as a cookie on this response (Secure over HTTPS); put it in
     * the form. The same for every call during one exchange (a page may hold two forms).
     */
    public String issue(HttpServerExchange exchange) {
        Cookie existing = exchange.getRequestCookie(COOKIE);
        if (existing != null && isWellFormed(existing.getValue())) {
            return existing.getValue();
        }
        String issued = exchange.getAttachment(ISSUED);
        if (issued != null) {
            return issued;
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        exchange.putAttachment(ISSUED, token);
        exchange.setResponseCookie(new CookieImpl(COOKIE, token)
                .setPath("/")
                .setHttpOnly(true)
                .setSecure("https".equals(exchange.getRequestScheme()))
                .setSameSiteMode("Strict"));
        return token;
    }

    /** Whether {@code submitted} (the form field) equals the request's cookie; constant time. */
    public boolean matches(HttpServerExchange exchange, String submitted) {
        Cookie cookie = exchange.getRequestCookie(COOKIE);
        if (cookie == null || submitted == null || !isWellFormed(cookie.getValue())) {
            return false;
        }
        return MessageDigest.isEqual(
                cookie.getValue().getBytes(StandardCharsets.US_ASCII), submitted.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean isWellFormed(String token) {
        return token != null && token.matches("[A-Za-z0-9_-]{32}");
    }
}
