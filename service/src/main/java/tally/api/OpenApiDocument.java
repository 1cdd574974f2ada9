package tally.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import tally.http.BuildVersion;
import tally.http.JsonReply;
import tally.http.RouteTable;

/**
 * {@code GET /openapi.json}: the API's contract (the jar's {@code openapi.json}, published as
 * docs/openapi.json), with {@code info.version} set to this server's release so that a client reading it
 * knows which server it describes. Read and serialized once, at start.
 */
public final class OpenApiDocument {
    static final String RESOURCE = "openapi.json";

    private final byte[] body;

    public OpenApiDocument(ObjectMapper json, BuildVersion version) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            ObjectNode document = (ObjectNode) json.readTree(in);
            ((ObjectNode) document.required("info")).put("version", version.version());
            this.body = json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCE, e);
        }
    }

    /** The document as served. */
    byte[] body() {
        return body.clone();
    }

    public void addTo(RouteTable routes) {
        routes.get("/openapi.json", ex -> JsonReply.sendBytes(ex, 200, body));
    }
}
