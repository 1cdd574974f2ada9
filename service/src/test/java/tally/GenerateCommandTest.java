package tally;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.cli.CommandArgs;
import tally.sample.BookmarkGenerator;

/** {@code tally generate} in-process through {@link GenerateCommand#run}. */
@Tag("unit")
class GenerateCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int generate(String... args) {
        return new GenerateCommand(stdout, new PrintStream(stderr, true, UTF_8)).run(args);
    }

    private static byte[] generated(long seed, double badRate, long bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new BookmarkGenerator(seed, badRate).write(out, bytes);
        return out.toByteArray();
    }

    @Test
    void the_defaults_write_the_generators_bytes_to_standard_output() throws IOException {
        assertThat(generate("--size", "64K")).isZero();

        assertThat(stdout.toByteArray()).isEqualTo(generated(2013, 0.01, 64 << 10));
        assertThat(stderr.toString(UTF_8)).isEmpty();
    }

    @Test
    void a_file_gets_the_bytes_for_the_seed_and_rate_and_stderr_says_how_many() throws IOException {
        Path out = dir.resolve("bookmarks.jsonl");

        assertThat(generate("--size=20000", "--seed", "7", "--bad-rate", "0.5", "--out", out.toString())).isZero();

        assertThat(Files.readAllBytes(out)).isEqualTo(generated(7, 0.5, 20_000));
        assertThat(stderr.toString(UTF_8)).startsWith("wrote ").contains(out.toString()).hasLineCount(1);
        assertThat(stdout.toByteArray()).isEmpty();
    }

    @Test
    void a_bad_size_or_rate_is_a_usage_error_with_the_usage() {
        assertThat(generate("--size", "10X")).isEqualTo(2);
        assertThat(generate("--bad-rate", "2")).isEqualTo(2);
        assertThat(generate("--seed", "x")).isEqualTo(2);

        assertThat(stderr.toString(UTF_8))
                .contains("tally generate: invalid value for --size: '10X' is not a number of bytes, with an optional K, M "
                        + "or G suffix\n"
                        + "Usage: tally generate [OPTIONS]\n")
                .contains("tally generate: badLineRate must be within [0, 1]")
                .contains("tally generate: invalid value for --seed: 'x' is not a whole number");
    }

    @Test
    void an_unwritable_output_exits_1_with_one_line_on_stderr() {
        Path out = dir.resolve("no/such/dir/bookmarks.jsonl");

        assertThat(generate("--size", "1K", "--out", out.toString())).isEqualTo(1);

        assertThat(stderr.toString(UTF_8)).startsWith("tally generate: ").contains("bookmarks.jsonl")
                .hasLineCount(1);
    }

    @Test
    void a_reader_that_stops_early_on_standard_output_is_not_a_failure() {
        GenerateCommand command = new GenerateCommand(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("Broken pipe");
            }
        }, new PrintStream(stderr, true, UTF_8));

        assertThat(command.run("--size", "4M")).isZero();
        assertThat(stderr.toString(UTF_8)).isEmpty();
    }

    @Test
    void help_lists_every_option_with_its_default() {
        assertThat(generate("--help")).isZero();

        assertThat(stdout.toString(UTF_8)).startsWith("Usage: tally generate [OPTIONS]\n")
                .contains("--size=SIZE", "(default: 10M)", "--seed=N", "(default: 2013)", "--bad-rate=RATE",
                        "(default: 0.01)", "--out=FILE", "(default: -)");
    }

    @Test
    void version_prints_the_version_line() {
        assertThat(generate("--version")).isZero();

        assertThat(stdout.toString(UTF_8)).matches("tally \\S+ \\(\\S+\\)\n");
    }

    @Test
    void sizes_take_a_binary_suffix_in_either_case() {
        assertThat(CommandArgs.parseBytes("512")).isEqualTo(512);
        assertThat(CommandArgs.parseBytes("2k")).isEqualTo(2048);
        assertThat(CommandArgs.parseBytes(" 3M ")).isEqualTo(3L << 20);
        assertThat(CommandArgs.parseBytes("1G")).isEqualTo(1L << 30);
        assertThatThrownBy(() -> CommandArgs.parseBytes("9999999999G"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
