package tally.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The document holds together: references resolve, and its examples (taken from a real run) fit its schemas. */
@Tag("unit")
class ApiDocumentTest {
    private final ApiContract contract = ApiContract.document();
    private final JsonNode root = contract.root();

    /** Calls {@code visit} with every object node and its JSON pointer. */
    private static void walk(JsonNode node, String pointer, BiConsumer<String, JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(pointer, node);
            node.fields().forEachRemaining(f -> walk(f.getValue(), pointer + "/" + ApiContract.escape(f.getKey()), visit));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visit);
            }
        }
    }

    @Test
    void every_reference_resolves() {
        List<String> broken = new ArrayList<>();
        walk(root, "", (pointer, node) -> {
            if (node.has("$ref") && root.at(node.get("$ref").asText().substring(1)).isMissingNode()) {
                broken.add(pointer + " -> " + node.get("$ref").asText());
            }
        });
        assertThat(broken).isEmpty();
    }

    @Test
    void every_json_body_schema_is_a_named_component() {
        List<String> inline = new ArrayList<>();
        walk(root, "", (pointer, node) -> {
            if (pointer.matches(".*/responses/.*/content/application~1(problem\\+)?json") && node.has("schema")
                    && !node.get("schema").has("$ref")) {
                inline.add(pointer);
            }
        });
        assertThat(inline).as("the response check loads JSON schemas by their components name").isEmpty();
    }

    @Test
    void every_example_fits_the_schema_it_illustrates() {
        List<String> misfits = new ArrayList<>();
        walk(root, "", (pointer, node) -> {
            JsonNode schema = node.get("schema");
            if (schema != null && schema.has("$ref")) {
                if (node.has("example") && !contract.isValid(schema, node.get("example"))) {
                    misfits.add(pointer + "/example");
                }
                node.path("examples").fields().forEachRemaining(e -> {
                    if (!contract.isValid(schema, contract.resolve(e.getValue()).get("value"))) {
                        misfits.add(pointer + "/examples/" + e.getKey());
                    }
                });
            }
        });
        root.at("/components/schemas").fields().forEachRemaining(schema -> schema.getValue().path("examples")
                .forEach(example -> {
                    if (!contract.isValid(refTo(schema.getKey()), example)) {
                        misfits.add("/components/schemas/" + schema.getKey() + "/examples: " + example);
                    }
                }));
        assertThat(misfits).isEmpty();
    }

    @Test
    void the_documented_api_has_the_routes_of_the_readme() {
        Map<String, List<String>> operations = contract.operations();

        assertThat(operations.get("/api/datasets")).containsExactly("GET", "HEAD", "POST");
        assertThat(operations.get("/api/datasets/{id}")).containsExactly("GET", "HEAD", "PUT", "DELETE");
        assertThat(operations).containsKeys("/api/datasets/{id}/rows.tsv", "/api/datasets/{id}/input",
                "/ws/datasets/{id}", "/healthz", "/readyz", "/version", "/metrics", "/openapi.json");
    }

    private JsonNode refTo(String schemaName) {
        return new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("$ref", "#/components/schemas/" + schemaName);
    }
}
