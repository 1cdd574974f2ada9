package tally.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tokens of {@code --token-file}, read at start and again whenever the file changes
 * ({@link #reloadIfChanged}, which the server calls every second): adding or revoking a token needs no
 * restart. A file that cannot be read or parsed on a reload leaves the previous tokens in force and is
 * logged (an editor's half-written file must neither lock everyone out nor let anyone in); at start it
 * stops the server. Tokens are never logged, only names and line numbers.
 */
public final class Tokens {
    private static final Logger LOG = Logger.getLogger(Tokens.class.getName());

    private final Path file;
    private volatile List<TokenFile.Entry> entries;
    private volatile Object version;

    private Tokens(Path file, List<TokenFile.Entry> entries, Object version) {
        this.file = file;
        this.entries = entries;
        this.version = version;
    }

    /** Reads {@code file}; throws if it is missing or has a bad line. */
    public static Tokens load(Path file) throws IOException {
        Object version = versionOf(file);
        List<TokenFile.Entry> entries = read(file);
        if (entries.isEmpty()) {
            LOG.warning(file + " holds no token yet: every request that needs one is refused until one is added");
        }
        return new Tokens(file, entries, version);
    }

    /** A fixed set, for tests of what uses it. */
    static Tokens of(List<TokenFile.Entry> entries) {
        return new Tokens(null, List.copyOf(entries), null);
    }

    private static List<TokenFile.Entry> read(Path file) throws IOException {
        return TokenFile.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Modification time, size and file key: a rewrite or a rename over the file changes one of them. */
    private static Object versionOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
    }

    /** Re-reads the file if it changed since the last read; true if the tokens were replaced. */
    public boolean reloadIfChanged() {
        if (file == null) {
            return false;
        }
        try {
            Object now = versionOf(file);
            if (Objects.equals(now, version)) {
                return false;
            }
            version = now;
            List<TokenFile.Entry> fresh = read(file);
            entries = fresh;
            LOG.info("token file " + file + " reloaded: " + fresh.size() + " token(s)");
            return true;
        } catch (NoSuchFileException e) {
            if (version != null) {
                LOG.warning("token file " + file + " is gone; the tokens read before stay in force");
                version = null;
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "token file " + file + " not reloaded, the tokens read before stay in force: "
                    + e.getMessage());
        }
        return false;
    }

    /**
     * The name of the entry whose digest is {@code digest}. Every entry is compared, each with
     * {@link MessageDigest#isEqual} (constant time): how long this takes says nothing about which
     * entry, if any, came close.
     */
    public Optional<String> nameOf(byte[] digest) {
        String found = null;
        for (TokenFile.Entry entry : entries) {
            if (entry.matches(digest) && found == null) {
                found = entry.name();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The name of the token the client presented, if it is one of ours. */
    public Optional<String> check(String token) {
        return nameOf(TokenFile.digest(token));
    }

    public int size() {
        return entries.size();
    }
}
