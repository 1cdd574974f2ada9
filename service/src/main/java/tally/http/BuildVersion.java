package tally.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit the build stamped into {@code tally-version.properties}: what {@code /version},
 * the pages' footer and {@code tally --version} say. Read from the jar once, here.
 *
 * @param version the release version ({@code 0.1.0-3f2a9c1}), or "unknown"
 * @param commit the git commit, or "unknown"
 */
public record BuildVersion(String version, String commit) {
    private static final BuildVersion CURRENT = read();

    /** This jar's. */
    public static BuildVersion current() {
        return CURRENT;
    }

    /** What {@code tally --version} prints: {@code tally VERSION (COMMIT)}. */
    public String line() {
        return "tally " + version + " (" + commit + ")";
    }

    private static BuildVersion read() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/tally-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // A half-read file is not trusted; a version is not worth failing a start over.
            p.clear();
        }
        return new BuildVersion(p.getProperty("version", "unknown"), p.getProperty("commit", "unknown"));
    }
}
