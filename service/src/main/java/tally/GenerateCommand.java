package tally;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tally.sample.BookmarkGenerator;

/** {@code tally generate --size 200M --out FILE}: realistic bookmark data to try Tally on or benchmark it. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write deterministic bookmark records (JSON lines) of about the given size.")
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--size", defaultValue = "10M",
        description = "Approximate size: bytes, or with a K, M or G suffix (default: ${DEFAULT-VALUE}).")
    private String size;

    @Option(names = "--seed", defaultValue = "2013", description = "Same seed, same bytes (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--bad-rate", defaultValue = "0.01",
        description = "Fraction of lines the job skips (default: ${DEFAULT-VALUE}).")
    private double badRate;

    @Option(names = "--out", defaultValue = "-", description = "Output file, or - for standard output.")
    private String out;

    @Override
    public Integer call() throws IOException {
        long bytes = parseSize(size);
        BookmarkGenerator generator = new BookmarkGenerator(seed, badRate);
        try (OutputStream target = new BufferedOutputStream(
                "-".equals(out) ? System.out : Files.newOutputStream(Path.of(out)), 1 << 20)) {
            generator.write(target, bytes);
        }
        if (!"-".equals(out)) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf("wrote %,d bytes to %s%n", Files.size(Path.of(out)), out);
            err.flush();
        }
        return 0;
    }

    static long parseSize(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            value = value.substring(0, value.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(value), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("size must be a number with an optional K, M or G suffix, was: " + text);
        }
    }
}
