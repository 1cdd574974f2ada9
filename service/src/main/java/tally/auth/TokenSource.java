package tally.auth;

import java.io.IOException;
import java.time.Duration;

/**
 * Where the token list is kept: a local file ({@link FileTokenSource}) or an S3 object
 * ({@link S3TokenSource}, what deployed environments use). {@link Tokens} asks it again every
 * {@link #pollEvery()}; a source answers cheaply when nothing changed.
 */
public interface TokenSource {
    /** The text, and a version that changes whenever the text does. */
    record Fetched(String text, Object version) {
    }

    /**
     * The list in the token file format, or null if its version is still {@code known}. A missing file
     * throws {@link java.nio.file.NoSuchFileException}; how a missing S3 object reads is the source's choice.
     */
    Fetched fetchIfChanged(Object known) throws IOException;

    /**
     * Whether the server may start before the list has been read once. A local file must be readable at
     * start (a typo in its path should stop the server); a list across the network may be briefly out of
     * reach, and until it is read every request that needs a token is refused and {@code /readyz} says why.
     */
    boolean mayStartUnread();

    Duration pollEvery();

    /** Where it is, for logs and errors. */
    String describe();
}
