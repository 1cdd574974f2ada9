package tally.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.util.logging.Level;
import java.util.logging.Logger;
import tally.store.DatasetBusyException;
import tally.store.DatasetExistsException;
import tally.store.StoreUnavailableException;

/**
 * The one place where failures become HTTP answers: {@link #from} maps an exception to a
 * {@link Problem} (unknown ones to a 500 that is logged once, with the request line, and hides
 * internals), {@link #send} writes it as {@code application/problem+json}.
 */
public final class Problems {
    private static final Logger LOG = Logger.getLogger(Problems.class.getName());

    private final ObjectMapper json;
    private final long maxUploadBytes;

    public Problems(ObjectMapper json, long maxUploadBytes) {
        this.json = json;
        this.maxUploadBytes = maxUploadBytes;
    }

    public Problem from(Throwable error, HttpServerExchange exchange) {
        if (error instanceof ProblemException p) {
            return p.problem();
        }
        if (error instanceof RequestTooBigException) {
            return tooLarge();
        }
        StoreUnavailableException unavailable = StoreUnavailableException.in(error);
        if (unavailable != null) {
            // Logged where it is noticed (the store, the probe); a stack trace per request would flood the log.
            return Problem.unavailable(unavailable.getMessage() + "; retry shortly");
        }
        if (error instanceof DatasetExistsException || error instanceof DatasetBusyException) {
            return Problem.conflict(error.getMessage());
        }
        if (error instanceof NoSuchFileException) {
            return Problem.notFound("no such dataset, or it is not complete");
        }
        if (error instanceof IllegalArgumentException) {
            return Problem.badRequest(error.getMessage());
        }
        if (isOutOfSpace(error)) {
            LOG.log(Level.WARNING, "507 on " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + ": the disk is full");
            return Problem.of(507, "Insufficient Storage", "the server is out of disk space for datasets; nothing "
                    + "of this upload was kept. Try again later, or ask the server's operator to free space");
        }
        if (error instanceof ClosedChannelException) {
            return Problem.of(400, "Bad Request", "the connection closed before the request was complete");
        }
        LOG.log(Level.SEVERE, "500 on " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), error);
        return Problem.of(500, "Internal Server Error",
                "the server failed to handle this request; it has been logged");
    }

    /** ENOSPC or a quota, anywhere in the cause chain: the JDK reports both as IOExceptions with the OS's words. */
    static boolean isOutOfSpace(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String message = e.getMessage();
            if (e instanceof IOException && message != null
                    && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    /** 413 naming the cap, so the client knows what would fit. */
    public Problem tooLarge() {
        return Problem.of(413, "Content Too Large",
                "the upload is larger than the server's limit of " + maxUploadBytes + " bytes (--max-upload-bytes)");
    }

    /**
     * Sends the problem if the response has not started; otherwise the connection is closed, as
     * the status line already went out.
     */
    public void send(HttpServerExchange exchange, Problem problem) {
        if (exchange.isResponseStarted()) {
            try {
                exchange.getConnection().close();
            } catch (IOException ignored) {
                // Best effort: the peer sees a cut connection either way.
            }
            return;
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        exchange.setStatusCode(problem.status());
        // Undertow's phrases predate RFC 9110: 421 went out as "Unknown", 413 as "Request Entity Too Large".
        exchange.setReasonPhrase(problem.title());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        if (problem.status() == 503) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
        }
        if (!exchange.isRequestComplete()) {
            // The unread rest of the body is not worth draining (it may be a gigabyte): close after answering.
            exchange.setPersistent(false);
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    public void send(HttpServerExchange exchange, Throwable error) {
        send(exchange, from(error, exchange));
    }
}
