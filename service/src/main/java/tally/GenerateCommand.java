package tally;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;
import tally.http.BuildVersion;
import tally.sample.BookmarkGenerator;

/**
 * {@code tally generate --size 200M --out FILE}: realistic bookmark data to try Tally on or benchmark it.
 * Exit code 0, 1 on an I/O error (one line on stderr), 2 on a usage error.
 */
public final class GenerateCommand {
    static final String NAME = "generate";
    static final String DESCRIPTION = "Write deterministic bookmark records (JSON lines) of about the given size.";

    private static final Option SIZE = Option.value("--size", "SIZE",
            "Approximate size: bytes, or with a K, M or G suffix").withDefault("10M");
    private static final Option SEED = Option.value("--seed", "N", "Same seed, same bytes").withDefault(2013);
    private static final Option BAD_RATE = Option.value("--bad-rate", "RATE", "Fraction of lines the job skips")
            .withDefault(0.01);
    private static final Option OUT = Option.value("--out", "FILE", "Output file, or - for standard output")
            .withDefault("-");
    private static final List<Option> OPTIONS =
            List.of(SIZE, SEED, BAD_RATE, OUT, CommandArgs.HELP, CommandArgs.VERSION);

    private final OutputStream stdout;
    private final PrintStream stderr;

    /** For callers that run the command in-process with their own streams. */
    public GenerateCommand(OutputStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs {@code tally generate ARGS} and returns the exit code. */
    public int run(String... args) {
        long bytes;
        BookmarkGenerator generator;
        Path out;
        try {
            CommandArgs cli = CommandArgs.parse(OPTIONS, Map.of(), args);
            if (cli.answeredHelpOrVersion(stdout, GenerateCommand::usage, () -> BuildVersion.current().line())) {
                return 0;
            }
            bytes = cli.bytes(SIZE);
            generator = new BookmarkGenerator(cli.longValue(SEED), cli.doubleValue(BAD_RATE));
            out = "-".equals(cli.required(OUT)) ? null : cli.path(OUT);
        } catch (UsageException | IllegalArgumentException e) {
            stderr.println("tally generate: " + e.getMessage());
            stderr.print(usage());
            return 2;
        }
        try {
            write(generator, bytes, out);
            return 0;
        } catch (IOException e) {
            if (out == null) {
                // Standard output as System.out treated it: a reader that stops early (generate | head) is
                // not a failure; the generator just stops sooner.
                return 0;
            }
            stderr.println("tally generate: " + StatsCommand.describe(e));
            return 1;
        }
    }

    static String usage() {
        return CommandArgs.usage("tally generate [OPTIONS]", DESCRIPTION, OPTIONS);
    }

    /** {@code out} null is standard output. */
    private void write(BookmarkGenerator generator, long bytes, Path out) throws IOException {
        try (OutputStream target = new BufferedOutputStream(
                out == null ? new StatsCommand.KeptOpen(stdout) : Files.newOutputStream(out), 1 << 20)) {
            generator.write(target, bytes);
        }
        if (out != null) {
            stderr.printf("wrote %,d bytes to %s%n", Files.size(out), out);
        }
    }
}
