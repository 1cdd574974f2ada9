package tally.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Deterministic bookmark records of the kind the tag-stats job reads: one JSON object per line, shaped
 * like the del.icio.us feed entries the 2013 job consumed (about 1 KB each), with tags, dates, non-ASCII
 * terms and, at a chosen rate, lines that break one rule of the job each.
 *
 * <p>The same seed always gives the same bytes, so tests and benchmarks can generate data of any size on
 * the fly instead of storing it. Not thread-safe: one generator per stream.
 */
public final class BookmarkGenerator {

    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final String[] TERMS = {
        "design", "web", "tools", "javascript", "programming", "howto", "tips", "css", "blog", "video",
        "music", "software", "reference", "tutorial", "linux", "python", "photography", "inspiration",
        "free", "news", "education", "art", "science", "food", "travel", "webdesign", "development",
        "opensource", "research", "social", "viagens", "trips", "recipes", "security", "productivity",
        "typography", "architecture", "visualization", "entrepreneurship", "café", "日本語", "größe",
        "naïve", "e\\u0301t\\u00e9", "🎵music", "données", "книги", "\\u00fcber", "ajax", "rails",
    };
    private static final String[] USERS = {
        "outernationalist", "anttti_", "linooliveira", "lkemp", "ganzza", "li120", "marcio", "zoë",
        "kenji", "mbrown", "s.chen", "Dmitri", "a_lopez", "webmaster", "ravi", "nora",
    };
    private static final String[] SITES = {
        "www.webdesigndev.com", "www.captchathedog.com", "github.com", "news.ycombinator.com",
        "www.smashingmagazine.com", "en.wikipedia.org", "docs.python.org", "www.flickr.com",
    };

    private final SplittableRandom random;
    private final double badLineRate;
    private final StringBuilder line = new StringBuilder(2048);

    /** A generator with about 1% of lines that break a rule (besides about 8% records without tags). */
    public BookmarkGenerator(long seed) {
        this(seed, 0.01);
    }

    /**
     * @param badLineRate fraction of lines, 0 to 1, that are skipped by the job (invalid JSON, not an
     *     object, bad tags, bad updated, bad id), each reason equally likely
     */
    public BookmarkGenerator(long seed, double badLineRate) {
        if (badLineRate < 0 || badLineRate > 1) {
            throw new IllegalArgumentException("badLineRate must be within [0, 1], was " + badLineRate);
        }
        this.random = new SplittableRandom(seed);
        this.badLineRate = badLineRate;
    }

    /** The next line, UTF-8, ending with LF. */
    public byte[] nextLine() {
        line.setLength(0);
        if (random.nextDouble() < badLineRate) {
            appendBadLine();
        } else {
            appendRecord(random.nextInt(100) < 8 ? null : tags(), updated(), quote(id()));
        }
        line.append('\n');
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes whole lines until at least {@code approxBytes} have been written. */
    public void write(OutputStream out, long approxBytes) throws IOException {
        long written = 0;
        while (written < approxBytes) {
            byte[] bytes = nextLine();
            out.write(bytes);
            written += bytes.length;
        }
    }

    /**
     * Generated on the fly, never held whole: whole lines until at least {@code approxBytes} were read.
     */
    public InputStream stream(long approxBytes) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;
            private long produced;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                int copied = 0;
                while (copied < length) {
                    if (position == current.length) {
                        if (produced >= approxBytes) {
                            break;
                        }
                        current = nextLine();
                        position = 0;
                        produced += current.length;
                    }
                    int n = Math.min(length - copied, current.length - position);
                    System.arraycopy(current, position, buffer, offset + copied, n);
                    position += n;
                    copied += n;
                }
                return copied == 0 ? -1 : copied;
            }
        };
    }

    private void appendBadLine() {
        switch (random.nextInt(5)) {
            case 0 -> line.append("{\"id\": \"http://delicious.com/url/broken\", \"tags\": [");
            case 1 -> line.append("[\"not\", \"an\", \"object\"]");
            case 2 -> appendRecord("\"tags\": \"design web\"", updated(), quote(id()));
            case 3 -> appendRecord(tags(), "\"updated\": \"yesterday\"", quote(id()));
            default -> appendRecord(tags(), updated(), String.valueOf(random.nextInt(1_000_000)));
        }
    }

    private void appendRecord(String tags, String updated, String id) {
        String hash = hex(32);
        String site = "http://" + pick(SITES) + "/" + hex(6) + "/";
        String user = pick(USERS);
        line.append('{').append(updated)
            .append(", \"links\": [{\"href\": \"").append(site)
            .append("\", \"type\": \"text/html\", \"rel\": \"alternate\"}]")
            .append(", \"title\": \"").append(title()).append('"')
            .append(", \"author\": \"").append(user).append('"')
            .append(", \"comments\": \"http://delicious.com/url/").append(hash).append('"')
            .append(", \"guidislink\": false")
            .append(", \"title_detail\": {\"base\": \"http://feeds.delicious.com/v2/rss/recent?min=1&count=100\", ")
            .append("\"type\": \"text/plain\", \"language\": null, \"value\": \"").append(title()).append("\"}")
            .append(", \"link\": \"").append(site).append('"')
            .append(", \"source\": {}");
        if (tags != null) {
            line.append(", ").append(tags);
        }
        line.append(", \"wfw_commentrss\": \"http://feeds.delicious.com/v2/rss/url/").append(hash).append('"')
            .append(", \"id\": ").append(id)
            .append('}');
    }

    private String tags() {
        StringBuilder tags = new StringBuilder("\"tags\": [");
        int count = 1 + random.nextInt(7);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                tags.append(", ");
            }
            String term = random.nextInt(20) == 0 ? hex(10 + random.nextInt(8)) : pick(TERMS);
            tags.append("{\"term\": \"").append(term)
                .append("\", \"scheme\": \"http://delicious.com/").append(pick(USERS))
                .append("/\", \"label\": null}");
        }
        return tags.append(']').toString();
    }

    private String updated() {
        // Hand-built: String.format made the generator ten times slower.
        StringBuilder date = new StringBuilder(48).append("\"updated\": \"")
            .append(pick(WEEKDAYS)).append(", ");
        twoDigits(date, 1 + random.nextInt(28)).append(' ').append(pick(MONTHS)).append(' ')
            .append(2005 + random.nextInt(6)).append(' ');
        twoDigits(date, random.nextInt(24)).append(':');
        twoDigits(date, random.nextInt(60)).append(':');
        return twoDigits(date, random.nextInt(60)).append(" +0000\"").toString();
    }

    private static StringBuilder twoDigits(StringBuilder target, int value) {
        return target.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private String id() {
        return "http://delicious.com/url/" + hex(32) + "#" + pick(USERS);
    }

    private String title() {
        int words = 2 + random.nextInt(8);
        StringBuilder title = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                title.append(' ');
            }
            title.append(pick(TERMS));
        }
        return title.toString();
    }

    private String hex(int length) {
        char[] digits = new char[length];
        for (int i = 0; i < length; i++) {
            digits[i] = Character.forDigit(random.nextInt(16), 16);
        }
        return new String(digits);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String quote(String text) {
        return '"' + text + '"';
    }
}
