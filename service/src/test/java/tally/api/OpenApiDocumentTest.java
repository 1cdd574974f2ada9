package tally.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tally.http.BuildVersion;
import tally.http.Json;

@Tag("unit")
class OpenApiDocumentTest {
    /** The published copy, for people and tools reading the repository. */
    static final Path PUBLISHED = Path.of("..", "docs", "openapi.json");

    private static byte[] resource() throws IOException {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(OpenApiDocument.RESOURCE)) {
            assertThat(in).as("the jar's " + OpenApiDocument.RESOURCE).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void docs_openapi_json_is_the_document_the_server_serves() throws IOException {
        assertThat(Files.readAllBytes(PUBLISHED))
                .as("docs/openapi.json must equal service/src/main/resources/openapi.json: copy it over after an edit")
                .isEqualTo(resource());
    }

    @Test
    void the_served_document_carries_the_servers_version_and_is_otherwise_the_resource() throws IOException {
        ObjectMapper json = Json.mapper();
        OpenApiDocument document = new OpenApiDocument(json, new BuildVersion("9.8.7-abc1234", "abc1234"));

        JsonNode served = json.readTree(document.body());
        ObjectNode expected = (ObjectNode) json.readTree(resource());
        ((ObjectNode) expected.get("info")).put("version", "9.8.7-abc1234");

        assertThat(served.at("/info/version").asText()).isEqualTo("9.8.7-abc1234");
        assertThat(served).isEqualTo(expected);
        assertThat(served.get("openapi").asText()).isEqualTo("3.1.0");
    }
}
