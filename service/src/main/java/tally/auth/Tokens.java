package tally.auth;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tokens of {@code --token-file}, read at start and again whenever the list changes
 * ({@link #reloadIfChanged}, which the server calls every {@link TokenSource#pollEvery()}): adding or
 * revoking a token needs no restart. A list that cannot be read or parsed on a reload leaves the previous
 * tokens in force and is logged (an editor's half-written file must neither lock everyone out nor let
 * anyone in); at start it stops the server, unless the source allows starting unread, in which case no
 * token is accepted until a read succeeds. Tokens are never logged, only names and line numbers.
 */
public final class Tokens {
    private static final Logger LOG = Logger.getLogger(Tokens.class.getName());

    private final TokenSource source;
    private final Clock clock;
    private volatile List<TokenFile.Entry> entries;
    private volatile Object version;
    /** Why no list has been read yet; null once one has. */
    private volatile String unread;
    /** Whether the last attempt to read the list failed (the tokens read before, if any, are in force). */
    private volatile boolean lastReadFailed;

    private Tokens(TokenSource source, List<TokenFile.Entry> entries, Clock clock) {
        this.source = source;
        this.entries = entries;
        this.clock = clock;
    }

    /** Reads the list; see the class comment for what happens when it cannot be read. */
    public static Tokens open(TokenSource source) throws IOException {
        return open(source, Clock.systemUTC());
    }

    /** {@link #open(TokenSource)}, with the clock that says when a token with an expiry stops being accepted. */
    public static Tokens open(TokenSource source, Clock clock) throws IOException {
        Tokens tokens = new Tokens(source, List.of(), clock);
        try {
            TokenSource.Fetched first = source.fetchIfChanged(null);
            tokens.replace(TokenFile.parse(first.text(), source.describe()), first.version());
        } catch (IOException | IllegalArgumentException e) {
            if (!source.mayStartUnread()) {
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            tokens.unread = "the token list " + source.describe() + " is not read yet: " + e.getMessage();
            tokens.lastReadFailed = true;
            LOG.warning(tokens.unread + "; every request that needs a token is refused until it is");
            return tokens;
        }
        if (tokens.entries.isEmpty()) {
            LOG.warning(source.describe() + " holds no token yet: every request that needs one is refused until one"
                    + " is added");
        }
        return tokens;
    }

    /** A fixed set, for tests of what uses it. */
    static Tokens of(List<TokenFile.Entry> entries) {
        return of(entries, Clock.systemUTC());
    }

    static Tokens of(List<TokenFile.Entry> entries, Clock clock) {
        return new Tokens(null, List.copyOf(entries), clock);
    }

    private void replace(List<TokenFile.Entry> fresh, Object freshVersion) {
        entries = fresh;
        version = freshVersion;
        unread = null;
    }

    /** Reads the list again if it changed since the last read; true if the tokens were replaced. */
    public boolean reloadIfChanged() {
        if (source == null) {
            return false;
        }
        try {
            TokenSource.Fetched fetched = source.fetchIfChanged(version);
            if (fetched == null) {
                lastReadFailed = false;
                return false;
            }
            List<TokenFile.Entry> fresh;
            try {
                fresh = TokenFile.parse(fetched.text(), source.describe());
            } catch (IllegalArgumentException e) {
                // Remember the version: the same broken text is not parsed (and logged) again every poll.
                version = fetched.version();
                throw e;
            }
            replace(fresh, fetched.version());
            lastReadFailed = false;
            LOG.info("token list " + source.describe() + " reloaded: " + fresh.size() + " token(s)");
            return true;
        } catch (NoSuchFileException e) {
            lastReadFailed = true;
            if (version != null) {
                LOG.warning("token file " + source.describe() + " is gone; the tokens read before stay in force");
                version = null;
            }
        } catch (IOException | IllegalArgumentException e) {
            lastReadFailed = true;
            LOG.log(Level.WARNING, "token list " + source.describe() + " not reloaded, the tokens read before stay"
                    + " in force: " + e.getMessage());
        }
        return false;
    }

    /** Why requests that need a token are all refused for now, for {@code /readyz}; null once a list is read. */
    public String notReadBecause() {
        return unread;
    }

    /** Whether the tokens in force are the list as last read, for the metrics. */
    public boolean current() {
        return !lastReadFailed && unread == null;
    }

    /** How many listed tokens are expired now (the rest are live), for the metrics. */
    public int expired() {
        Instant now = clock.instant();
        int n = 0;
        for (TokenFile.Entry entry : entries) {
            if (!entry.liveAt(now)) {
                n++;
            }
        }
        return n;
    }

    public TokenSource source() {
        return source;
    }

    /**
     * The name of the entry whose digest is {@code digest}, unless it has expired. Every entry is compared,
     * each with {@link MessageDigest#isEqual} (constant time): how long this takes says nothing about which
     * entry, if any, came close. Sessions are checked through here on every use, so they end with their
     * token's expiry too.
     */
    public Optional<String> nameOf(byte[] digest) {
        Instant now = clock.instant();
        String found = null;
        for (TokenFile.Entry entry : entries) {
            if (entry.matches(digest) && found == null && entry.liveAt(now)) {
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
