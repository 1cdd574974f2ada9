package tally;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code tally --version}: the same tally-version.properties that {@code /version} serves. */
public final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/tally-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        }
        return new String[] {"tally " + p.getProperty("version", "unknown") + " (" + p.getProperty("commit", "unknown") + ")"};
    }
}
