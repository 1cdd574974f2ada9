package tally.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;

/** Sends a value as a JSON body (non-blocking; fine on the IO thread). */
public final class JsonReply {
    private JsonReply() {
    }

    public static void send(HttpServerExchange exchange, ObjectMapper json, int status, Object value) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize " + value.getClass().getSimpleName(), e);
        }
        sendBytes(exchange, status, body);
    }

    public static void sendBytes(HttpServerExchange exchange, int status, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
