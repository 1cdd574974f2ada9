package tally.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Token files for the tests: written before a server starts, replaced (by a rename, as tools do) while it runs. */
public final class TokenFiles {
    /** The token of the entry named ci in {@link #create}'s files. */
    public static final String CI = "ci-0123456789abcdef0123456789abcdef";
    /** A token listed only as its SHA-256, under the name alice. */
    public static final String ALICE = "alice-fedcba9876543210fedcba9876543210";

    private TokenFiles() {
    }

    /** A temporary file with a named token and a named sha256 entry; removed when the JVM exits. */
    public static Path create() {
        try {
            Path file = Files.createTempFile("tally-tokens-", ".txt");
            file.toFile().deleteOnExit();
            return write(file, standard());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String standard() {
        return "# test tokens\nci: " + CI + "\nalice: sha256:" + sha256(ALICE) + "\n";
    }

    /** Replaces the file's content the way an operator's tool would: a new file renamed over it. */
    public static Path write(Path file, String content) {
        try {
            Path next = Files.createTempFile(file.getParent(), "tokens-", ".tmp");
            Files.writeString(next, content, StandardCharsets.UTF_8);
            return Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String token) {
        return java.util.HexFormat.of().formatHex(tally.auth.TokenFile.digest(token));
    }
}
