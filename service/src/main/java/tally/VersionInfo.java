package tally;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code tally --version}: the same tally-version.properties that {@code /version} serves. */
final class VersionInfo {
    private VersionInfo() {
    }

    /** {@code tally VERSION (COMMIT)}; "unknown" for what the jar does not say. */
    static String line() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/tally-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // A half-read file is not trusted; and a version line is not worth failing the command over.
            p.clear();
        }
        return "tally " + p.getProperty("version", "unknown") + " (" + p.getProperty("commit", "unknown") + ")";
    }
}
