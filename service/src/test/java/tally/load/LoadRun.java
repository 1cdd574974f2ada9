package tally.load;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One in-process {@code tally load} run: its exit code and what it printed. */
record LoadRun(int exit, String out, String err) {
    static LoadRun run(Map<String, String> env, String... args) {
        return run(new ByteArrayInputStream(new byte[0]), env, args);
    }

    static LoadRun run(InputStream stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new LoadCommand(stdin, out, errStream, env).run(args);
        }
        return new LoadRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
