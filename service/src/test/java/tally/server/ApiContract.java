package tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.undertow.util.PathTemplateMatcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The API document (the jar's {@code openapi.json}) as the tests' oracle. {@link #check} holds a response
 * to it: the status must be one the document declares for the path and method, with the declared
 * Content-Type, required headers and a body that validates against the declared schema. The path is
 * matched with Undertow's own {@link PathTemplateMatcher}, the matcher the server routes with, so both
 * agree on which template a path falls under. Paths the document does not have answer 404, methods it
 * does not list for a path 405 with an Allow that lists exactly the documented ones, and any request may
 * be refused 421 (host) or 503 (draining), an unsafe one 403 (another site): the document's prose and
 * its components.responses say so. HTML pages (x-tally-pages) are not the API's and are not checked.
 *
 * <p>Schemas are JSON Schema 2020-12 under the OpenAPI 3.1 dialect, validated by networknt's
 * json-schema-validator; every JSON body's schema is a {@code $ref} into components.schemas, which is
 * what is loaded.
 */
final class ApiContract {
    static final String RESOURCE = "openapi.json";
    private static final ApiContract DOCUMENT = new ApiContract();
    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/problem+json");
    private static final Set<String> METHODS = Set.of("get", "head", "post", "put", "delete", "patch", "options",
            "trace");

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode document;
    private final PathTemplateMatcher<String> paths = new PathTemplateMatcher<>();
    private final PathTemplateMatcher<String> pages = new PathTemplateMatcher<>();
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract() {
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            document = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        document.get("paths").fieldNames().forEachRemaining(template -> paths.add(template, template));
        document.get("x-tally-pages").forEach(page -> pages.add(page.get("path").asText(), page.get("path").asText()));
    }

    static ApiContract document() {
        return DOCUMENT;
    }

    JsonNode root() {
        return document;
    }

    /** The documented operations: path template to methods, upper case, in the document's order. */
    Map<String, List<String>> operations() {
        Map<String, List<String>> operations = new LinkedHashMap<>();
        document.get("paths").fields().forEachRemaining(path -> operations.put(path.getKey(), methodsOf(path.getValue())));
        return operations;
    }

    /** The HTML pages the document lists as outside the API: path template to methods. */
    Map<String, List<String>> pages() {
        Map<String, List<String>> result = new LinkedHashMap<>();
        document.get("x-tally-pages").forEach(page -> {
            List<String> methods = new ArrayList<>();
            page.get("methods").forEach(m -> methods.add(m.asText()));
            result.put(page.get("path").asText(), methods);
        });
        return result;
    }

    /** The response, passed through, or an AssertionError naming every way it breaks the document. */
    static HttpResponse<String> checked(HttpResponse<String> response) {
        List<String> violations = DOCUMENT.violations(response.request().method(), response.request().uri(),
                response.statusCode(), response.headers(), response.body());
        if (!violations.isEmpty()) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ", which breaks " + RESOURCE + ":\n  " + String.join("\n  ", violations)
                    + "\nbody: " + abbreviated(response.body()));
        }
        return response;
    }

    List<String> violations(String method, URI uri, int status, HttpHeaders headers, String body) {
        String path = decodedPath(uri.getRawPath());
        List<String> violations = new ArrayList<>();
        if (path.indexOf('?') < 0 && pages.match(path) != null) {
            return violations;
        }
        // A '?' can only be an escaped one (%3F); no template has it, and the server answers 404 (RouteTable).
        PathTemplateMatcher.PathMatchResult<String> match = path.indexOf('?') >= 0 ? null : paths.match(path);
        JsonNode operation = match == null ? null : document.get("paths").get(match.getValue())
                .get(method.toLowerCase(Locale.ROOT));
        String pointer;
        if (operation != null) {
            pointer = "/paths/" + escape(match.getValue()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/" + status;
            if (!operation.get("responses").has(Integer.toString(status))) {
                violations.add(status + " is not a status the document declares for " + method + " "
                        + match.getValue() + " (it declares " + fieldNames(operation.get("responses")) + ")");
                return violations;
            }
        } else {
            String name = anyPathResponse(status, method, match != null);
            if (name == null) {
                violations.add(status + " is not a status for " + method + " " + path + (match == null
                        ? ", which the document does not have (expected 404)"
                        : ": the document has no " + method + " for " + match.getValue() + " (expected 405)"));
                return violations;
            }
            pointer = "/components/responses/" + name;
            if (status == 405) {
                checkAllow(headers, methodsOf(document.get("paths").get(match.getValue())), violations);
            }
        }
        checkResponse(pointer, method, status, headers, body == null ? "" : body, violations);
        return violations;
    }

    /** What any request may be answered, operation or not: the components.responses name, or null. */
    private static String anyPathResponse(int status, String method, boolean pathKnown) {
        return switch (status) {
            case 404 -> pathKnown ? null : "NotFound";
            case 405 -> pathKnown ? "MethodNotAllowed" : null;
            case 403 -> UNSAFE.contains(method) ? "CrossSite" : null;
            case 421 -> "MisdirectedRequest";
            case 503 -> "ServiceUnavailable";
            default -> null;
        };
    }

    private void checkAllow(HttpHeaders headers, List<String> documented, List<String> violations) {
        Set<String> allowed = headers.firstValue("Allow").stream()
                .flatMap(allow -> Arrays.stream(allow.split(",")))
                .map(String::strip).collect(Collectors.toCollection(TreeSet::new));
        if (!allowed.equals(new TreeSet<>(documented))) {
            violations.add("Allow lists " + allowed + " but the document has " + new TreeSet<>(documented));
        }
    }

    private void checkResponse(String pointer, String method, int status, HttpHeaders headers, String body,
            List<String> violations) {
        JsonNode response = resolve(document.at(pointer));
        response.path("headers").fields().forEachRemaining(header -> {
            JsonNode declared = resolve(header.getValue());
            String value = headers.firstValue(header.getKey()).orElse(null);
            if (value == null) {
                if (declared.path("required").asBoolean()) {
                    violations.add("the required header " + header.getKey() + " is missing");
                }
            } else {
                validate(declared.get("schema"), json.valueToTree(value).toString(), "header " + header.getKey(),
                        violations);
            }
        });
        JsonNode content = response.get("content");
        if (content == null) {
            if (!body.isEmpty()) {
                violations.add("the document declares no body, but one came");
            }
            return;
        }
        String mediaType = headers.firstValue("Content-Type").map(ApiContract::mediaType).orElse(null);
        if (mediaType == null || !content.has(mediaType)) {
            violations.add("Content-Type " + headers.firstValue("Content-Type").orElse("(none)") + " is not one of "
                    + fieldNames(content));
            return;
        }
        if (method.equals("HEAD")) {
            if (!body.isEmpty()) {
                violations.add("a HEAD answer carries a body");
            }
            return;
        }
        JsonNode schema = content.get(mediaType).get("schema");
        if (schema != null && JSON_TYPES.contains(mediaType)) {
            validate(schema, body, "the body", violations);
            if (mediaType.equals("application/problem+json") && violations.isEmpty()) {
                checkProblemStatus(body, status, violations);
            }
        }
    }

    private void checkProblemStatus(String body, int status, List<String> violations) {
        try {
            int stated = json.readTree(body).path("status").asInt();
            if (stated != status) {
                violations.add("the problem says status " + stated + " but the response is " + status);
            }
        } catch (IOException e) {
            violations.add("the problem is not JSON: " + e.getMessage());
        }
    }

    /** Validates JSON text against a schema node of the document: a {@code $ref}, or inline under a components entry. */
    private void validate(JsonNode schemaNode, String jsonText, String what, List<String> violations) {
        List<Error> errors = schema(schemaNode).validate(jsonText, InputFormat.JSON);
        errors.forEach(error -> violations.add(what + ": " + error));
    }

    /** Whether {@code value} (a Jackson tree) is valid against the schema node (a {@code $ref} or a components entry's own). */
    boolean isValid(JsonNode schemaNode, JsonNode value) {
        return schema(schemaNode).validate(value.toString(), InputFormat.JSON).isEmpty();
    }

    private Schema schema(JsonNode schemaNode) {
        String pointer = schemaNode.has("$ref") ? schemaNode.get("$ref").asText().substring(1)
                : pointerOf(schemaNode);
        return schemas.computeIfAbsent(pointer,
                p -> registry.getSchema(SchemaLocation.of("classpath:" + RESOURCE + "#" + p)));
    }

    /** The JSON pointer of a node inside components (inline schemas are only written there, e.g. under headers). */
    private String pointerOf(JsonNode node) {
        String found = find(document, "", node);
        if (found == null) {
            throw new IllegalArgumentException("schema not found in " + RESOURCE + ": " + node);
        }
        return found;
    }

    private static String find(JsonNode at, String pointer, JsonNode wanted) {
        if (at == wanted) {
            return pointer;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = at.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String found = find(field.getValue(), pointer + "/" + escape(field.getKey()), wanted);
            if (found != null) {
                return found;
            }
        }
        for (int i = 0; at.isArray() && i < at.size(); i++) {
            String found = find(at.get(i), pointer + "/" + i, wanted);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** A response, parameter, header or schema object with its {@code $ref} followed. */
    JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            resolved = document.at(resolved.get("$ref").asText().substring(1));
        }
        return resolved;
    }

    private static List<String> methodsOf(JsonNode pathItem) {
        List<String> methods = new ArrayList<>();
        pathItem.fieldNames().forEachRemaining(name -> {
            if (METHODS.contains(name)) {
                methods.add(name.toUpperCase(Locale.ROOT));
            }
        });
        return methods;
    }

    /**
     * The path as Undertow routes it: each segment percent-decoded, except that an encoded slash stays
     * {@code %2F} inside its segment (Undertow does not decode it: ALLOW_ENCODED_SLASH is off).
     */
    static String decodedPath(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                path.append('/');
            }
            String decoded = URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            path.append(decoded.replace("/", "%2F"));
        }
        return path.toString();
    }

    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviated(String body) {
        return body == null || body.length() <= 600 ? String.valueOf(body) : body.substring(0, 600) + "...";
    }
}
