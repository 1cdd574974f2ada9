package tally.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The format of {@code --token-file}: one entry a line, blank lines and {@code #} comments ignored.
 *
 * <pre>
 * # who: token, or who: sha256:HEX
 * ci: 3f1c0e...            a token as it is sent (Authorization: Bearer 3f1c0e...)
 * alice: sha256:9b2d...    the SHA-256 of a token, 64 hex digits: the file alone cannot be replayed
 * 5a7e...                  a token without a name ("token 1a2b3c4d", from its digest)
 * ci: sha256:77aa... expires=2027-03-01T00:00:00Z    refused from that instant on (ISO-8601, UTC)
 * </pre>
 *
 * A token is an RFC 6750 {@code b64token} (letters, digits and {@code -._~+/}, then {@code =}s) of at
 * least 16 characters, so it never holds a colon, a space or a {@code #}: a name is what comes before
 * {@code ": "} (colon and space), and {@code sha256:} with no space is always a digest. A name is 1-64
 * letters, digits or {@code .-_@}; {@code sha256} is refused as a name, since {@code sha256: HEX} would
 * otherwise turn a digest into a token that the file itself gives away.
 */
public final class TokenFile {
    static final int MIN_TOKEN_LENGTH = 16;
    private static final Pattern NAMED = Pattern.compile("([^\\s:]+):\\s+(\\S+)");
    /** An entry may end with its expiry: {@code expires=INSTANT}. */
    private static final Pattern EXPIRES = Pattern.compile("(.*\\S)\\s+expires=(\\S+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    private static final Pattern DIGEST = Pattern.compile("sha256:([0-9A-Fa-f]{64})");
    private static final Pattern COMMENT = Pattern.compile("\\s#");

    /** One accepted token: who it is, the SHA-256 of the token, and when it stops being accepted (null: never). */
    public record Entry(String name, byte[] digest, Instant expires) {
        public Entry {
            digest = digest.clone();
        }

        public Entry(String name, byte[] digest) {
            this(name, digest, null);
        }

        /** Whether it is still accepted at {@code now}. */
        boolean liveAt(Instant now) {
            return expires == null || now.isBefore(expires);
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        /** Whether {@code other} is this digest; constant time. */
        boolean matches(byte[] other) {
            return MessageDigest.isEqual(digest, other);
        }
    }

    private TokenFile() {
    }

    /** The entries of {@code text}; a bad line throws, naming {@code source} and the line, never its token. */
    public static List<Entry> parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = withoutComment(lines[i]).strip();
            if (!line.isEmpty()) {
                entries.add(entry(line, source + " line " + (i + 1)));
            }
        }
        return List.copyOf(entries);
    }

    private static String withoutComment(String line) {
        String stripped = line.stripLeading();
        if (stripped.startsWith("#")) {
            return "";
        }
        // A token holds no '#' or space, so " #" starts a comment after an entry.
        Matcher comment = COMMENT.matcher(line);
        return comment.find() ? line.substring(0, comment.start()) : line;
    }

    private static Entry entry(String fullLine, String where) {
        String line = fullLine;
        Instant expires = null;
        Matcher expiry = EXPIRES.matcher(fullLine);
        if (expiry.matches()) {
            line = expiry.group(1);
            try {
                expires = Instant.parse(expiry.group(2));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": expires= takes an instant in UTC, such as"
                        + " 2027-03-01T00:00:00Z");
            }
        }
        String name = null;
        String value = line;
        Matcher named = NAMED.matcher(line);
        if (named.matches()) {
            name = named.group(1);
            value = named.group(2);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": a name is 1-64 letters, digits or .-_@ before \": \"");
            }
            if ("sha256".equalsIgnoreCase(name)) {
                throw new IllegalArgumentException(where + ": write a digest as sha256:HEX (no space after the "
                        + "colon); \"sha256: ...\" would make the digest itself a token");
            }
        } else if (line.contains(" ") || line.contains("\t")) {
            throw new IllegalArgumentException(where + ": expected TOKEN, sha256:HEX or NAME: TOKEN");
        }
        Matcher digest = DIGEST.matcher(value);
        byte[] bytes;
        if (digest.matches()) {
            bytes = HexFormat.of().parseHex(digest.group(1).toLowerCase(Locale.ROOT));
        } else if (value.regionMatches(true, 0, "sha256:", 0, 7)) {
            throw new IllegalArgumentException(where + ": a sha256: entry needs exactly 64 hex digits "
                    + "(printf %s TOKEN | sha256sum)");
        } else if (value.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException(where + ": a token is at least " + MIN_TOKEN_LENGTH + " characters "
                    + "of letters, digits and -._~+/ (openssl rand -hex 32 makes one)");
        } else {
            bytes = digest(value);
        }
        return new Entry(name != null ? name : "token " + HexFormat.of().formatHex(bytes, 0, 4), bytes, expires);
    }

    /** SHA-256 of a token's characters (UTF-8), what {@code printf %s TOKEN | sha256sum} prints in hex. */
    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
