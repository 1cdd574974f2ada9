package tally.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** jenkins/plugins.txt: one {@code id:version} a line, comments after {@code #}. */
final class PluginsTxt {

    private PluginsTxt() {
    }

    /** Plugin id to pinned version, in file order. */
    static Map<String, String> read() {
        Map<String, String> plugins = new LinkedHashMap<>();
        for (String raw : Repository.read("jenkins/plugins.txt").split("\n")) {
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalStateException("plugins.txt line without a version: " + raw);
            }
            String previous = plugins.put(line.substring(0, colon), line.substring(colon + 1));
            if (previous != null) {
                throw new IllegalStateException("plugins.txt lists " + line.substring(0, colon) + " twice");
            }
        }
        return plugins;
    }
}
