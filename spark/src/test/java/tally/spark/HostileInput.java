package tally.spark;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import tally.sample.BookmarkGenerator;

/**
 * Test input: generated bookmarks with, around them, lines that break every rule, ids that share long
 * prefixes or are equal, non-ASCII ids whose UTF-8 bytes sort above ASCII, CRLF endings, a lone CR
 * inside a line, a byte-order mark at the very start and a last line without LF.
 */
final class HostileInput {
    /** The line cap the hostile lines are built around. */
    static final int MAX_LINE_BYTES = 4096;
    static final String UPDATED = "Mon, 07 Sep 2009 17:01:02 +0000";
    private static final String PREFIX = "http://delicious.com/url/" + "0".repeat(300);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static byte[] build(long seed, long generatedBytes) {
        HostileInput in = new HostileInput();
        in.raw("\uFEFF" + record("bom", UPDATED, "a") + "\n");
        in.everySkipReason();
        in.generated(seed, generatedBytes / 2);
        in.sharedPrefixesAndUnicode();
        in.hot(0, 40);
        in.generated(seed + 1, generatedBytes / 2);
        in.hot(40, 80);
        in.everySkipReason();
        in.raw(record("last line without LF", "Tue, 08 Sep 2009 01:02:03 +0000", "end", "x"));
        return in.out.toByteArray();
    }

    /** Only lines with the same id, in an order their rows can tell apart. */
    static byte[] hotOnly(int lines) {
        HostileInput in = new HostileInput();
        in.hot(0, lines);
        return in.out.toByteArray();
    }

    static String record(String id, String updated, String... terms) {
        StringBuilder tags = new StringBuilder();
        for (String term : terms) {
            tags.append(tags.length() == 0 ? "" : ", ").append("{\"term\": \"").append(term).append("\"}");
        }
        return "{\"id\": \"" + id + "\", \"updated\": \"" + updated + "\", \"tags\": [" + tags + "]}";
    }

    private void everySkipReason() {
        line("not json");
        line("");
        line("   ");
        line("{\"id\": \"two values\"} {}");
        line("[1, 2]");
        line("\"a string\"");
        line("{\"id\": \"no tags\", \"updated\": \"" + UPDATED + "\"}");
        line("{\"id\": \"empty tags\", \"updated\": \"" + UPDATED + "\", \"tags\": []}");
        line("{\"id\": \"term not a string\", \"updated\": \"" + UPDATED + "\", \"tags\": [{\"term\": 5}]}");
        line(record("short updated", "Mon, 07", "a"));
        line(record("bad time", "Mon, 07 Sep 2009 17", "a"));
        line("{\"updated\": \"" + UPDATED + "\", \"tags\": [{\"term\": \"a\"}], \"id\": 5}");
        line("{\"tags\": [{\"term\": \"a\"}], \"updated\": \"" + UPDATED + "\"}");
        // too_long: over the cap by one byte, by far, and with a CRLF; kept: exactly the cap, then a CR.
        line(padded(record("over by one", UPDATED, "a"), MAX_LINE_BYTES + 1));
        line(record("far over", UPDATED, "x".repeat(3 * MAX_LINE_BYTES)));
        raw(padded(record("over, CRLF", UPDATED, "a"), MAX_LINE_BYTES + 1) + "\r\n");
        raw(padded(record("at the cap, CRLF", UPDATED, "a"), MAX_LINE_BYTES) + "\r\n");
        // A lone CR is not a line end: one invalid line here, where Hadoop's reader would see two records.
        line(record("cr one", UPDATED, "a") + "\r" + record("cr two", UPDATED, "b"));
        raw(record("crlf", UPDATED, "a", "b") + "\r\n");
        line(record("tab\\tand\\\\backslash", UPDATED, "t"));
    }

    private void sharedPrefixesAndUnicode() {
        String[] suffixes = {"", "a", "A", "\\u00e9", "a\\u0000", "aa", "\\u007f", "\\u0080", "日本語", "😀", "e\\u0301"};
        for (int round = 0; round < 3; round++) {
            for (String suffix : suffixes) {
                line(record(PREFIX + suffix, "Sun, 06 Sep 2009 11:36:2" + round + " +0000", "trips", "日本語"));
                raw(record(suffix.isEmpty() ? "z" : suffix, UPDATED, "é") + "\r\n");
            }
        }
    }

    private void hot(int from, int to) {
        for (int i = from; i < to; i++) {
            String[] terms = new String[1 + i % 9];
            for (int t = 0; t < terms.length; t++) {
                terms[t] = "t" + i;
            }
            line(record("hot", "Wed, 09 Sep 2009 12:00:" + (i % 60) + " +0000", terms));
        }
    }

    private void generated(long seed, long bytes) {
        try {
            out.write(new BookmarkGenerator(seed, 0.05).stream(bytes).readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code json} with spaces before its closing brace, to exactly {@code length} bytes. */
    private static String padded(String json, int length) {
        int pad = length - json.getBytes(UTF_8).length;
        return json.substring(0, json.length() - 1) + " ".repeat(pad) + "}";
    }

    private void line(String text) {
        raw(text + "\n");
    }

    private void raw(String text) {
        out.writeBytes(text.getBytes(UTF_8));
    }
}
