package tally.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Requests generated from the API document: an operation of its paths (or a method it does not list, or a
 * path it does not have), a value for each of the operation's parameters drawn around its schema (inside
 * and outside maxLength, minimum, maximum and pattern), a body in one of the request body's media types
 * (JSON lines, random bytes, gzip, multipart) or in a form the server must refuse, and sometimes the
 * headers of a page of another site. Each call knows what the document promises for it: whether its
 * parameters are valid by their schemas, whether its body is one the server takes.
 *
 * <p>Every choice is a draw from QuickTheories' randomness source, so a failing call shrinks toward
 * the first option of each choice and the shortest strings.
 */
final class ApiCalls {
    /** Methods the document lists nowhere, or not for every path. */
    private static final List<String> OTHER_METHODS = List.of("PATCH", "OPTIONS", "POST", "PUT", "DELETE", "GET");
    private static final List<String> UNKNOWN_PATHS = List.of("/nowhere", "/api/dataset", "/api/datasets/x/rows",
            "/api", "/ws/datasets", "/openapi.yaml");
    /** Characters a string parameter is drawn from: allowed ones first, so shrinking heads for them. */
    private static final int[] CODE_POINTS = {'a', 'Z', '0', '9', '_', '-', ' ', '.', '/', '%', '+', '&', '=', '?',
        '#', '~', '\'', 0xE9, 0x65E5, 0x1F3B5, 0x200B, 0xFEFF, '\n', '\t', 0x00, 0x7F, 0x85, 0x202E, 0x2066, 0x061C};
    private static final List<String> JUNK_NUMBERS = List.of("", "abc", "1.5", "1e3", " 5", "-0", "0x10",
            "99999999999", "+5", "05", "1,2");
    private static final List<String> RAW_TYPES = List.of("application/x-ndjson", "application/jsonl",
            "application/json", "text/plain", "application/octet-stream", "application/x-jsonlines",
            "application/jsonlines", "APPLICATION/X-NDJSON; charset=utf-8");
    private static final List<String> BAD_TYPES = List.of("image/png", "text/html", "application/xml",
            "application/x-www-form-urlencoded", "multipart/mixed; boundary=b");
    private static final List<String> BAD_ENCODINGS = List.of("br", "deflate", "compress", "gzip, br", "zstd");
    private static final String[] TERMS = {"design", "über", "日本語", "\uD83C\uDFB5music", "", "a b", "x".repeat(40)};

    /** What a generated body is, and whether the document says the server takes it. */
    enum BodyKind {
        LINES(true), EMPTY(true), RANDOM_BYTES(true), GZIP_ENCODED(true), GZIP_TYPE(true), MULTIPART(true),
        TRUNCATED_GZIP(false), NOT_GZIP(false), BAD_TYPE(false), BAD_ENCODING(false), BROKEN_MULTIPART(false),
        OVERSIZE(false);

        final boolean acceptable;

        BodyKind(boolean acceptable) {
            this.acceptable = acceptable;
        }
    }

    /** One request and what the document promises for it. */
    record Call(String method, String template, String path, String query, Map<String, String> headers,
            byte[] body, BodyKind bodyKind, boolean documented, boolean parametersValid, boolean opaqueCursor,
            boolean foreign) {

        /** A path with an escaped '?' names no route (RouteTable), whatever its template looks like. */
        boolean escapesQuestionMark() {
            return path.contains("%3F");
        }

        String target() {
            return path + (query.isEmpty() ? "" : "?" + query);
        }

        @Override
        public String toString() {
            return method + " " + target() + " " + headers + (body == null ? "" : " body " + bodyKind + " ("
                    + body.length + " bytes)") + (parametersValid ? "" : " [parameters invalid]")
                    + (foreign ? " [another site]" : "");
        }
    }

    private final ApiContract contract;
    private final List<String> templates;
    private final List<String> knownIds;
    private final List<String> realCursors;
    private final int maxUploadBytes;

    /**
     * @param knownIds ids of datasets the server has (drawn as often as random ones)
     * @param realCursors next_cursor values the server gave
     */
    ApiCalls(ApiContract contract, List<String> knownIds, List<String> realCursors, int maxUploadBytes) {
        this.contract = contract;
        this.templates = new ArrayList<>(contract.operations().keySet());
        this.knownIds = List.copyOf(knownIds);
        this.realCursors = List.copyOf(realCursors);
        this.maxUploadBytes = maxUploadBytes;
    }

    Gen<Call> calls() {
        return this::call;
    }

    private static int draw(RandomnessSource random, int min, int max) {
        return (int) random.next(Constraint.between(min, max));
    }

    private static <T> T pick(RandomnessSource random, List<T> options) {
        return options.get(draw(random, 0, options.size() - 1));
    }

    private Call call(RandomnessSource random) {
        int kind = draw(random, 0, 19);
        if (kind == 19) {
            String method = pick(random, OTHER_METHODS);
            return finish(random, method, null, pick(random, UNKNOWN_PATHS), new LinkedHashMap<>(), true, false, false);
        }
        String template = pick(random, templates);
        List<String> methods = contract.operations().get(template);
        boolean documented = kind < 17;
        String method = documented ? pick(random, methods) : pick(random, OTHER_METHODS);
        documented = methods.contains(method);
        JsonNode pathItem = contract.root().get("paths").get(template);
        JsonNode operation = pathItem.get(method.toLowerCase(Locale.ROOT));
        List<JsonNode> parameters = new ArrayList<>();
        pathItem.path("parameters").forEach(p -> parameters.add(contract.resolve(p)));
        if (operation != null) {
            operation.path("parameters").forEach(p -> parameters.add(contract.resolve(p)));
        }
        Map<String, String> query = new LinkedHashMap<>();
        String path = template;
        boolean valid = true;
        boolean opaqueCursor = false;
        for (JsonNode parameter : parameters) {
            String name = parameter.get("name").asText();
            boolean inPath = parameter.get("in").asText().equals("path");
            if (!inPath && draw(random, 0, 2) == 0) {
                continue;
            }
            String value = value(random, name, contract.resolve(parameter.get("schema")));
            valid &= isValid(parameter.get("schema"), value);
            opaqueCursor |= name.equals("cursor") && !realCursors.contains(value);
            if (inPath) {
                path = path.replace("{" + name + "}", encode(value).replace(".", "%2E"));
            } else {
                query.put(name, value);
            }
        }
        if (draw(random, 0, 9) == 0) {
            query.put("unknown", "ignored");
        }
        return finish(random, method, template, path, query, valid, documented, opaqueCursor);
    }

    private Call finish(RandomnessSource random, String method, String template, String path,
            Map<String, String> query, boolean valid, boolean documented, boolean opaqueCursor) {
        Map<String, String> headers = new LinkedHashMap<>();
        boolean foreign = false;
        switch (draw(random, 0, 9)) {
            case 8 -> {
                headers.put("Origin", "https://evil.example");
                foreign = true;
            }
            case 9 -> {
                headers.put("Sec-Fetch-Site", "cross-site");
                foreign = true;
            }
            default -> {
                // A program: neither header, as curl sends.
            }
        }
        byte[] body = null;
        BodyKind bodyKind = null;
        if (method.equals("POST") || method.equals("PUT")) {
            bodyKind = BodyKind.values()[draw(random, 0, BodyKind.values().length - 1)];
            body = body(random, bodyKind, headers);
        }
        StringBuilder encodedQuery = new StringBuilder();
        query.forEach((name, value) -> encodedQuery.append(encodedQuery.length() == 0 ? "" : "&").append(name)
                .append('=').append(encode(value)));
        return new Call(method, template, path, encodedQuery.toString(), headers, body, bodyKind,
                documented && template != null, valid, opaqueCursor, foreign);
    }

    /** A value for a parameter: known ids and cursors, numbers around the bounds, strings around maxLength. */
    private String value(RandomnessSource random, String name, JsonNode schema) {
        if (name.equals("id") && draw(random, 0, 1) == 0) {
            return pick(random, knownIds);
        }
        if (name.equals("cursor") && draw(random, 0, 1) == 0) {
            return pick(random, realCursors);
        }
        if (name.equals("header")) {
            return pick(random, List.of("true", "false", "TRUE", "1", ""));
        }
        if (schema.path("type").asText().equals("integer")) {
            int min = schema.path("minimum").asInt(0);
            int max = schema.path("maximum").asInt(1000);
            return draw(random, 0, 3) == 0 ? pick(random, JUNK_NUMBERS)
                    : Integer.toString(draw(random, min - 3, max + 3));
        }
        int maxLength = schema.path("maxLength").asInt(100);
        int length = switch (draw(random, 0, 3)) {
            case 0 -> draw(random, 1, 12);
            case 1 -> draw(random, Math.max(1, maxLength - 2), maxLength + 2);
            default -> draw(random, 1, maxLength + 40);
        };
        boolean plain = draw(random, 0, 1) == 0;
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            value.appendCodePoint(CODE_POINTS[draw(random, 0, plain ? 5 : CODE_POINTS.length - 1)]);
        }
        return value.toString();
    }

    /** Valid by the schema, as the server would read it: a whole number only where it is one. */
    private boolean isValid(JsonNode schemaNode, String value) {
        boolean integer = contract.resolve(schemaNode).path("type").asText().equals("integer");
        JsonNode json = integer && value.matches("-?[0-9]{1,18}")
                ? JsonNodeFactory.instance.numberNode(Long.parseLong(value))
                : JsonNodeFactory.instance.textNode(value);
        return contract.isValid(schemaNode, json);
    }

    private byte[] body(RandomnessSource random, BodyKind kind, Map<String, String> headers) {
        byte[] lines = lines(random);
        switch (kind) {
            case LINES -> {
                contentType(random, headers);
                return lines;
            }
            case EMPTY -> {
                contentType(random, headers);
                return new byte[0];
            }
            case RANDOM_BYTES -> {
                contentType(random, headers);
                return randomBytes(random, draw(random, 1, 4096));
            }
            case GZIP_ENCODED -> {
                contentType(random, headers);
                headers.put("Content-Encoding", pick(random, List.of("gzip", "x-gzip", "GZIP")));
                return gzip(lines);
            }
            case GZIP_TYPE -> {
                headers.put("Content-Type", pick(random, List.of("application/gzip", "application/x-gzip")));
                return gzip(lines);
            }
            case MULTIPART -> {
                headers.put("Content-Type", "multipart/form-data; boundary=tally-b0undary");
                return multipart(lines, true, draw(random, 0, 1) == 0);
            }
            case TRUNCATED_GZIP -> {
                headers.put("Content-Encoding", "gzip");
                byte[] whole = gzip(lines);
                return Arrays.copyOf(whole, draw(random, 1, whole.length - 9));
            }
            case NOT_GZIP -> {
                headers.put("Content-Encoding", "gzip");
                byte[] plainBytes = randomBytes(random, draw(random, 1, 512));
                plainBytes[0] = 'x';
                return plainBytes;
            }
            case BAD_TYPE -> {
                headers.put("Content-Type", pick(random, BAD_TYPES));
                return lines;
            }
            case BAD_ENCODING -> {
                headers.put("Content-Encoding", pick(random, BAD_ENCODINGS));
                return lines;
            }
            case BROKEN_MULTIPART -> {
                boolean withBoundary = draw(random, 0, 1) == 0;
                headers.put("Content-Type", withBoundary ? "multipart/form-data; boundary=tally-b0undary"
                        : "multipart/form-data");
                return multipart(lines, false, draw(random, 0, 1) == 0);
            }
            case OVERSIZE -> {
                contentType(random, headers);
                return new byte[maxUploadBytes + draw(random, 1, 4096)];
            }
            default -> throw new IllegalStateException(kind.name());
        }
    }

    private static void contentType(RandomnessSource random, Map<String, String> headers) {
        int choice = draw(random, 0, RAW_TYPES.size());
        if (choice < RAW_TYPES.size()) {
            headers.put("Content-Type", RAW_TYPES.get(choice));
        }
    }

    /** JSON lines as docs/stats-contract.md reads them, with some lines it skips. */
    private static byte[] lines(RandomnessSource random) {
        StringBuilder lines = new StringBuilder();
        int count = draw(random, 1, 40);
        for (int i = 0; i < count; i++) {
            switch (draw(random, 0, 5)) {
                case 0 -> lines.append("not json");
                case 1 -> lines.append("[1,2]");
                case 2 -> lines.append("{\"id\":\"https://example.com/").append(i).append("\",\"tags\":[]}");
                default -> {
                    lines.append("{\"id\":\"https://example.com/").append(i).append("#u").append(draw(random, 0, 9))
                            .append("\",\"updated\":\"").append(pick(random, List.of("Mon", "Sun", "Xyz")))
                            .append(", 1").append(draw(random, 0, 9)).append(" Sep 2009 14:31:18 +0000\",\"tags\":[");
                    int tags = draw(random, 0, 4);
                    for (int t = 0; t < tags; t++) {
                        String term = TERMS[draw(random, 0, TERMS.length - 1)];
                        lines.append(t == 0 ? "" : ",").append("{\"term\":\"").append(term).append("\"}");
                    }
                    lines.append("]}");
                }
            }
            lines.append(draw(random, 0, 4) == 0 ? "\r\n" : "\n");
        }
        return lines.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(RandomnessSource random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) draw(random, 0, 255);
        }
        return bytes;
    }

    /** A form with the lines as its file part, or, not {@code complete}, as a field that is not a file. */
    private static byte[] multipart(byte[] file, boolean complete, boolean named) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String head = (named ? "--tally-b0undary\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nfrom a form\r\n"
                : "") + "--tally-b0undary\r\nContent-Disposition: form-data; name=\""
                + (complete ? "file\"; filename=\"b.jsonl\"" : "other\"")
                + "\r\nContent-Type: application/octet-stream\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes("\r\n--tally-b0undary--\r\n".getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Percent-encoding for a path segment or a query value: spaces as %20, everything but A-Z a-z 0-9 . - * _ escaped. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
