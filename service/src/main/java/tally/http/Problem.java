package tally.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error as the client sees it (RFC 9457 {@code application/problem+json}): {@code title} is the
 * status's short text, {@code detail} says what to do about it. Never carries a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail) {

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail);
    }

    public static Problem badRequest(String detail) {
        return of(400, "Bad Request", detail);
    }

    public static Problem notFound(String detail) {
        return of(404, "Not Found", detail);
    }

    public static Problem conflict(String detail) {
        return of(409, "Conflict", detail);
    }

    public static Problem unavailable(String detail) {
        return of(503, "Service Unavailable", detail);
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }
}
