package tally.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** {@code --token-file FILE}: stat a second, read when the modification time, size or file key changed. */
public final class FileTokenSource implements TokenSource {
    private final Path file;

    public FileTokenSource(Path file) {
        this.file = file;
    }

    @Override
    public Fetched fetchIfChanged(Object known) throws IOException {
        Object version = versionOf(file);
        if (Objects.equals(version, known)) {
            return null;
        }
        return new Fetched(Files.readString(file, StandardCharsets.UTF_8), version);
    }

    /** A rewrite or a rename over the file changes one of these. */
    private static Object versionOf(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(attributes.lastModifiedTime(), attributes.size(), String.valueOf(attributes.fileKey()));
    }

    @Override
    public boolean mayStartUnread() {
        return false;
    }

    @Override
    public Duration pollEvery() {
        return Duration.ofSeconds(1);
    }

    @Override
    public String describe() {
        return file.toString();
    }
}
