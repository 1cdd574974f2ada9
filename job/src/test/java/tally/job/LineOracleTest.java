package tally.job;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LineParser's rules 1-3 (invalid_json, not_object) on seeded random lines, checked against an independent oracle. */
@Tag("unit")
class LineOracleTest {
    /** Bytes that break JSON or UTF-8: structure, escapes, starts of numbers and literals, controls, UTF-8 pieces. */
    private static final byte[] NASTY = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\t', '\r', 0, 0x1F, 'u',
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '-', '+', '.', 'e', 'E', 'N', 'I', 't', 'f', 'n',
        (byte) 0xC3, (byte) 0xA9, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0, (byte) 0x9F, (byte) 0xF4,
        (byte) 0x90, (byte) 0xFF, (byte) 0xC0};
    /** Whole and broken tokens: random single bytes almost never spell a literal or a number. */
    private static final String[] WORDS = {"NaN", "Infinity", "-Infinity", "+Infinity", "INF", "-INF", "Nan",
        "true", "false", "null", "nul", "0", "-0", "12", "1.5", "1e5", "0.0E-1", "00", "\"\"", "\"a\"", "\\u",
        "\\ud800", "{}", "[]", "{\"a\":"};

    /** What follows a line in the job's block: its LF, then bytes that would extend a token if read. */
    private static final byte[] AFTER = "\n\"}]0eE.5:,{[ \\u1234\"".getBytes(UTF_8);
    /** Junk before the line (an open object, array and string) for a parser that would start too early. */
    private static final byte[] BEFORE = "{\"x\": [\"\\".getBytes(UTF_8);
    private static final List<Placement> PLACEMENTS = List.of(
            new Placement("alone in its array", new byte[0], new byte[0]),
            new Placement("followed by LF and padding", new byte[0], AFTER),
            new Placement("after junk, followed by LF and padding", BEFORE, AFTER));
    private static final int SHOWN_MISMATCHES = 20;

    private static final String UPDATED = "\"updated\": \"Sun, 06 Sep 2009 11:36:20 +0000\"";
    /** Valid objects shaped like bookmarks, between them using every form of JSON the spec accepts. */
    private static final List<byte[]> VALID_OBJECTS = Stream.of(
            "{" + UPDATED + ", \"tags\": [{\"term\": \"trips\"}, {\"term\": \"howto\"}, {\"term\": \"tips\"},"
                    + " {\"term\": \"viagens\"}],"
                    + " \"id\": \"http://delicious.com/url/0001c173b0f84ea81d188336223f9d7d#linooliveira\"}",
            "{\"author\": \"linooliveira\", \"guidislink\": false, \"id\": \"http://delicious.com/url/1#a\","
                    + " \"links\": [{\"href\": \"http://www.example.com/\", \"rel\": \"alternate\"}], \"source\": {},"
                    + " \"tags\": [{\"label\": null, \"scheme\": \"http://delicious.com/a/\", \"term\": \"trips\"}],"
                    + " \"title_detail\": {\"base\": \"\", \"language\": null, \"value\": \"Trip\"}, " + UPDATED + ","
                    + " \"updated_parsed\": [2009, 9, 6, 11, 36, 20, 6, 249, 0]}",
            "{\"id\": \"numbers\", \"n\": [0, -0, 7, -7, 10, 1234567890123456789012345678901234567890, 0.5, -0.5,"
                    + " 1.25e3, 1E3, 1e+3, 1e-3, -0.0E-0, 2.5E+10, 1e400, 0e0], \"tags\": [{\"term\": \"n\"}], "
                    + UPDATED + "}",
            "{\"t\": true, \"f\": false, \"z\": null, \"nan\": NaN, \"inf\": Infinity, \"ninf\": -Infinity,"
                    + " \"all\": [true, false, null, NaN, Infinity, -Infinity], \"tags\": [{\"term\": \"lit\"}],"
                    + " \"id\": \"l\", " + UPDATED + "}",
            "{\"id\": \"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t end\", " + UPDATED + ","
                    + " \"tags\": [{\"term\": \"caf\\u00e9\"}, {\"term\": \"\\ud83d\\ude00\"}, {\"term\": \"\\ud800\"},"
                    + " {\"term\": \"x\\udc00y\"}]}",
            "{\"id\": \"é日本語😀\", \"tags\": [{\"term\": \"é\"}, {\"term\": \"日本語\"}, {\"term\": \"😀\"},"
                    + " {\"term\": \"e\\u0301\"}], " + UPDATED + ", \"title\": \"Ünïcödé ‰ € 𝄞\"}",
            " \t{\t\"id\"\r:\r\"ws\" ,\t\"tags\" :[ {\"term\":\"a\"} , { \"term\" : \"b\" } ]\r,"
                    + "\"updated\":\"Wed, 09 Sep 2009 23:59:59 +0000\"\t}\r \t",
            "{\"updated\":\"Thu, 10 Sep 2009 00:00:00 +0000\",\"tags\":[{\"term\":\"compact\"}],\"id\":\"c\"}",
            "{\"id\": \"first\", \"tags\": [], \"tags\": [{\"term\": \"dup\"}], \"id\": \"second\", \"updated\": 1, "
                    + UPDATED + "}",
            "{\"id\": \"no tags\", " + UPDATED + "}",
            "{}",
            "{\"tags\": [{\"term\": \"a\", \"other\": [1, {\"x\": [[]]}]}], \"updated\": 5, \"id\": null}",
            "{\"a\": {\"b\": [{\"c\": [[], {}, [[[1]]]]}]}, \"tags\": [{\"term\": \"deep\"}], \"id\": \"d\", "
                    + UPDATED + "}",
            "{\"k\\u0065y\": \"v\", \"\": \"\", \"t\\u0061gs\": [{\"t\\u0065rm\": \"\"}], \"id\": \"\","
                    + " \"updated\": \"S, 1 M 2 1:2:3\"}")
            .map(line -> line.getBytes(UTF_8))
            .toList();

    /** Jackson, with its limits set here rather than left to defaults that change between versions. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(1000) // inclusive like the spec's: 1,000 levels pass, 1,001 fail (tested below)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();
    /** The spec's only non-finite literals (those of Python's json). */
    private static final Set<String> SPEC_NON_FINITE = Set.of("NaN", "Infinity", "-Infinity");

    /** The outcomes of the rules after rule 3, all of which mean the line is an object. */
    private static final Set<String> OBJECT_OUTCOMES = EnumSet.complementOf(
            EnumSet.of(Outcome.INVALID_JSON, Outcome.NOT_OBJECT)).stream().map(Enum::name).collect(Collectors.toSet());

    /** One parser for all lines, as each of the job's threads reuses its parser. */
    private final LineParser parser = new LineParser();

    @Test
    void hand_written_lines_are_objects_to_oracle_and_parser() {
        for (byte[] line : VALID_OBJECTS) {
            assertThat(oracle(line)).as(literal(line)).isEqualTo(Verdict.OBJECT);
        }
        checkAll(VALID_OBJECTS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void mutated_lines_agree_with_the_oracle(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> lines = Stream.generate(() -> VALID_OBJECTS.get(random.nextInt(VALID_OBJECTS.size())))
                .map(line -> mutate(line, random))
                .limit(50_000)
                .toList();

        assertThat(checkAll(lines)).as("verdicts").contains(Verdict.values());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void short_random_lines_agree_with_the_oracle(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> lines = Stream.generate(() -> shortLine(random)).limit(25_000).toList();

        assertThat(checkAll(lines)).as("verdicts").contains(Verdict.values());
    }

    @Test
    void nesting_agrees_with_the_oracle_at_the_1000_level_limit() {
        String array = "[";
        String object = "{\"a\":";
        List<byte[]> lines = new ArrayList<>();
        List<List<String>> shapes =
                List.of(List.of(array), List.of(object), List.of(object, array), List.of(array, object));
        for (List<String> shape : shapes) {
            Verdict root = shape.get(0).equals(object) ? Verdict.OBJECT : Verdict.NOT_OBJECT;
            for (int depth : new int[] {999, 1000, 1001}) {
                byte[] line = nested(depth, shape);
                Verdict spec = depth <= 1000 ? root : Verdict.INVALID_JSON;
                assertThat(oracle(line)).as("%d levels of %s", depth, shape).isEqualTo(spec);
                lines.add(line);
            }
        }
        checkAll(lines);
    }

    /**
     * The lines where Jackson alone would differ from the spec, and UTF-8 and JSON edge cases. Each char of a
     * line stands for one byte (ISO-8859-1): U+00ED is the byte ED.
     */
    @Test
    void spec_corners_get_the_spec_verdict_from_oracle_and_parser() {
        Map<String, Verdict> corners = new LinkedHashMap<>();
        for (String line : List.of("+Infinity", "+INF", "-INF", "[+Infinity]", "{\"a\": -INF}", "-NaN", "INF",
                "1 2", "{}{}", "{} {}", "\"a\"\"b\"", "null null", "[1] x", "\u00EF\u00BB\u00BF{}", "1\u0000",
                "{}\u0000", "", " \t\r", "\"a\tb\"", "\"\u001F\"", "\"\u00ED\u00A0\u0080\"", "\"\u00C0\u00AF\"",
                "\"\u00F4\u0090\u0080\u0080\"", "\"\u00FF\"", "\u00C2\u00A01", "1.", ".5", "-", "+1", "1e", "01",
                "-01", "[1,]", "{\"a\":1,}", "\"\\x\"", "\"\\u12\"")) {
            corners.put(line, Verdict.INVALID_JSON);
        }
        for (String line : List.of("NaN", "Infinity", "-Infinity", "[NaN, Infinity, -Infinity]", "\"\\ud800\"",
                "\"\\udc00\\ud800\"", "\"\u00F0\u009F\u0098\u0080\"", "\"\u00F4\u008F\u00BF\u00BF\"", "-0", "0.0e-0",
                "\"\\u0000\"", " 1 ")) {
            corners.put(line, Verdict.NOT_OBJECT);
        }
        for (String line : List.of("{\"a\": -Infinity}", "{\"a\": 1, \"a\": 2}", "{\"\u00C3\u00A9\": \"\\ud800\"}")) {
            corners.put(line, Verdict.OBJECT);
        }
        List<byte[]> lines = new ArrayList<>();
        List<String> oracleErrors = new ArrayList<>();
        corners.forEach((text, spec) -> {
            byte[] line = text.getBytes(ISO_8859_1);
            Verdict verdict = oracle(line);
            if (verdict != spec) {
                oracleErrors.add(literal(line) + ": oracle " + verdict + ", spec " + spec);
            }
            lines.add(line);
        });
        assertThat(oracleErrors).as("lines the oracle gets wrong").isEmpty();
        checkAll(lines);
    }

    // ---- the oracle ----

    enum Verdict {
        INVALID_JSON,
        NOT_OBJECT,
        OBJECT;

        /** Whether the parser's outcome (an {@link Outcome} name, or what it threw) fits this verdict. */
        boolean admits(String outcome) {
            return this == OBJECT ? OBJECT_OUTCOMES.contains(outcome) : name().equals(outcome);
        }
    }

    /** The contract's rules 1 to 3 without LineParser: the JDK's strict UTF-8 decoder, then Jackson on the decoded text. */
    static Verdict oracle(byte[] line) {
        // REPORT refuses overlongs, encoded surrogates (ED A0..BF) and code points above U+10FFFF, as the spec does.
        CharsetDecoder utf8 = UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer text = CharBuffer.allocate(line.length); // UTF-8 never gives more chars than bytes
        if (utf8.decode(ByteBuffer.wrap(line), text, true).isError() || utf8.flush(text).isError()) {
            return Verdict.INVALID_JSON;
        }
        if (!unicodeEscapesAreHex(text.array(), text.position())) {
            return Verdict.INVALID_JSON;
        }
        // Jackson reads the decoded chars, not the bytes: its byte parser skips a leading UTF-8 BOM (not JSON
        // white space) and accepts a NUL byte ending the input right after a root-level integer ("1\0").
        try (JsonParser json = JSON.createParser(text.array(), 0, text.position())) {
            JsonToken root = json.nextToken();
            if (root == null) {
                return Verdict.INVALID_JSON; // empty or blank
            }
            // Jackson reports an unclosed container as an error, so tokens do not run out before depth 0.
            int depth = 0;
            for (JsonToken token = root; ; token = json.nextToken()) {
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                } else if (token.isNumeric() && !isSpecNumber(json.getText())) {
                    return Verdict.INVALID_JSON;
                }
                if (depth == 0) {
                    break;
                }
            }
            // Jackson reads root-level value sequences ("1 2", "{}{}"); the spec allows one value.
            if (json.nextToken() != null) {
                return Verdict.INVALID_JSON;
            }
            return root == JsonToken.START_OBJECT ? Verdict.OBJECT : Verdict.NOT_OBJECT;
        } catch (IOException e) { // Jackson's parse errors, and StreamConstraintsException for the nesting limit
            return Verdict.INVALID_JSON;
        }
    }

    /**
     * Whether every {@code \\u} escape inside a string has four ASCII hex digits (RFC 8259). Jackson's char
     * parser takes only the low byte of each digit, so it read {@code "\\u000\u0663"} (an Arabic-Indic three)
     * as {@code \\u0003}: found by fuzzing the parser against this oracle, which the parser had right.
     */
    private static boolean unicodeEscapesAreHex(char[] text, int length) {
        boolean inString = false;
        for (int i = 0; i < length; i++) {
            char c = text[i];
            if (!inString) {
                inString = c == '"';
            } else if (c == '"') {
                inString = false;
            } else if (c == '\\' && i + 1 < length) {
                if (text[i + 1] == 'u') {
                    for (int k = i + 2; k < i + 6; k++) {
                        if (k >= length || Character.digit(text[k], 16) < 0 || text[k] > 'f') {
                            return false;
                        }
                    }
                }
                i++;
            }
        }
        return true;
    }

    /** ALLOW_NON_NUMERIC_NUMBERS also reads {@code +Infinity}, {@code +INF} and {@code -INF}; the spec does not. */
    private static boolean isSpecNumber(String text) {
        return Character.isDigit(text.charAt(text.length() - 1)) || SPEC_NON_FINITE.contains(text);
    }

    // ---- checking the parser ----

    /** Where the line sits in the array given to the parser; every placement must give the same outcome. */
    private record Placement(String name, byte[] before, byte[] after) {
        String parse(LineParser parser, byte[] line) {
            byte[] array = new byte[before.length + line.length + after.length];
            System.arraycopy(before, 0, array, 0, before.length);
            System.arraycopy(line, 0, array, before.length, line.length);
            System.arraycopy(after, 0, array, before.length + line.length, after.length);
            int lineEnd = before.length + line.length;
            try {
                // The parser finds the line's end itself: it is given the whole rest of the array.
                String outcome = parser.parse(array, before.length, array.length).name();
                return parser.lineEnd == lineEnd ? outcome : outcome + ", but the line ended at " + parser.lineEnd;
            } catch (RuntimeException e) {
                return "threw " + e; // a mismatch like any other, so the remaining lines are still checked
            }
        }
    }

    /**
     * Parses every line in every placement while the oracle judges the lines on a pool thread, then fails listing
     * the first mismatches, if any. The pool thread also saves time: Jackson throws on each invalid line, and an
     * exception's stack trace costs in proportion to the stack's depth (80 frames and more under JUnit, 3 there).
     */
    private List<Verdict> checkAll(List<byte[]> lines) {
        CompletableFuture<List<Verdict>> judged =
                CompletableFuture.supplyAsync(() -> lines.stream().map(LineOracleTest::oracle).toList());
        List<List<String>> outcomes = lines.stream().map(this::outcomes).toList();
        List<Verdict> verdicts = judged.join();
        int mismatches = 0;
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> parsed = outcomes.get(i);
            if ((Set.copyOf(parsed).size() > 1 || !verdicts.get(i).admits(parsed.get(0)))
                    && mismatches++ < SHOWN_MISMATCHES) {
                shown.add(describe(lines.get(i), verdicts.get(i), parsed));
            }
        }
        assertThat(mismatches)
                .withFailMessage("%d of %d lines disagree with the oracle; the first ones:%n%s", mismatches,
                        lines.size(), String.join(System.lineSeparator(), shown))
                .isZero();
        return verdicts;
    }

    /** The parser's outcome for the line in each of the {@link #PLACEMENTS}. */
    private List<String> outcomes(byte[] line) {
        return PLACEMENTS.stream().map(placement -> placement.parse(parser, line)).toList();
    }

    private static String describe(byte[] line, Verdict verdict, List<String> outcomes) {
        String parsed;
        if (Set.copyOf(outcomes).size() == 1) {
            parsed = outcomes.get(0) + " in every placement";
        } else {
            List<String> each = new ArrayList<>();
            for (int i = 0; i < PLACEMENTS.size(); i++) {
                each.add(outcomes.get(i) + " " + PLACEMENTS.get(i).name());
            }
            parsed = String.join("; ", each);
        }
        return literal(line) + ": oracle " + verdict + ", parser " + parsed;
    }

    /** The line as a Java string literal, with \xNN for every byte outside printable ASCII. */
    private static String literal(byte[] line) {
        StringBuilder s = new StringBuilder("\"");
        for (byte x : line) {
            int c = x & 0xFF;
            if (c == '"' || c == '\\') {
                s.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02X", c));
            }
        }
        return s.append('"').toString();
    }

    // ---- lines ----

    /** One or two edits: replace, insert or delete 1 to 3 bytes, truncate, or repeat a slice in place. */
    private static byte[] mutate(byte[] line, SplittableRandom random) {
        for (int edits = random.nextInt(1, 3); edits > 0; edits--) {
            int count = random.nextInt(1, 4);
            int at = random.nextInt(line.length + 1);
            line = switch (random.nextInt(5)) {
                case 0 -> replace(line, count, random);
                case 1 -> splice(line, at, at, nasty(count, random));
                case 2 -> splice(line, at, Math.min(line.length, at + count), new byte[0]);
                case 3 -> Arrays.copyOf(line, at);
                default -> {
                    int stop = Math.min(line.length, at + random.nextInt(1, 33));
                    yield splice(line, stop, stop, Arrays.copyOfRange(line, at, stop));
                }
            };
        }
        return line;
    }

    /** {@code line} with {@code count} bytes, each at a random place, replaced by nasty ones. */
    private static byte[] replace(byte[] line, int count, SplittableRandom random) {
        byte[] out = line.clone();
        for (int i = 0; i < count && out.length > 0; i++) {
            out[random.nextInt(out.length)] = NASTY[random.nextInt(NASTY.length)];
        }
        return out;
    }

    /** {@code line} with {@code line[from, to)} replaced by {@code insert}. */
    private static byte[] splice(byte[] line, int from, int to, byte[] insert) {
        byte[] out = new byte[line.length - (to - from) + insert.length];
        System.arraycopy(line, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(line, to, out, from + insert.length, line.length - to);
        return out;
    }

    private static byte[] nasty(int count, SplittableRandom random) {
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = NASTY[random.nextInt(NASTY.length)];
        }
        return out;
    }

    /** Up to 6 pieces, each a nasty byte or a word: mostly literals and numbers at the root, whole or broken. */
    private static byte[] shortLine(SplittableRandom random) {
        StringBuilder line = new StringBuilder();
        for (int pieces = random.nextInt(7); pieces > 0; pieces--) {
            if (random.nextBoolean()) {
                line.append(WORDS[random.nextInt(WORDS.length)]);
            } else {
                line.append((char) (NASTY[random.nextInt(NASTY.length)] & 0xFF));
            }
        }
        return line.toString().getBytes(ISO_8859_1);
    }

    /** {@code depth} containers around a 0, their openers taken from {@code shape} in turn. */
    private static byte[] nested(int depth, List<String> shape) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            String opener = shape.get(i % shape.size());
            open.append(opener);
            close.append(opener.equals("[") ? ']' : '}');
        }
        return (open + "0" + close.reverse()).getBytes(UTF_8);
    }
}
