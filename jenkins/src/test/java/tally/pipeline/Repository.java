package tally.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files of this repository that the pipeline checks read, found from wherever Maven runs the tests. */
final class Repository {

    private static final Path ROOT = findRoot();

    private Repository() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bash array assignment of jenkins/stages.sh, e.g. {@code STAGES=(setup build ...)}. */
    static List<String> stageScriptArray(String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "=\\(([^)]*)\\)").matcher(read("jenkins/stages.sh"));
        if (!matcher.find()) {
            throw new IllegalStateException("jenkins/stages.sh has no " + name + "=(...) line");
        }
        return new ArrayList<>(Arrays.asList(matcher.group(1).trim().split("\\s+")));
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("Jenkinsfile"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no Jenkinsfile above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
