package tally;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.Summary;
import tally.job.TagStatsJob;
import tally.sample.BookmarkGenerator;

/** {@code tally stats} end to end on real files, run in-process through {@link StatsCommand#run}. */
@Tag("unit")
class StatsCommandTest {
    @TempDir
    Path dir;

    private byte[] input;
    private byte[] expectedRows;
    private JobResult expected;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void computeTheExpectedOutputWithTheJobItself() throws IOException {
        input = new BookmarkGenerator(21).stream(300_000).readAllBytes();
        Path spill = Files.createDirectories(dir.resolve("spill"));
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spill)) {
            job.accept(input, 0, input.length);
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            expected = job.finish(rows);
            expectedRows = rows.toByteArray();
        }
    }

    private int stats(byte[] stdin, String... args) {
        StatsCommand command = new StatsCommand(new ByteArrayInputStream(stdin), stdout,
                new PrintStream(stderr, true, UTF_8));
        return command.run(args);
    }

    @Test
    void a_file_gives_the_job_rows_and_summary() throws IOException {
        Path in = Files.write(dir.resolve("in.jsonl"), input);
        Path rows = dir.resolve("rows.tsv");
        Path summary = dir.resolve("summary.json");

        int exit = stats(new byte[0], in.toString(), "--out", rows.toString(), "--summary", summary.toString());

        assertThat(exit).isZero();
        assertThat(Files.readAllBytes(rows)).isEqualTo(expectedRows);
        assertThat(new ObjectMapper().readValue(summary.toFile(), Summary.class)).isEqualTo(expected.summary());
        assertThat(stderr.toString(UTF_8)).isEmpty();
        assertThat(expected.counters().kept()).isGreaterThan(200);
    }

    @Test
    void gzip_is_recognised_by_its_magic_bytes_and_header_adds_the_column_names() throws IOException {
        Path in = dir.resolve("data.bin");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(in))) {
            gz.write(input);
        }
        Path rows = dir.resolve("rows.tsv");

        int exit = stats(new byte[0], in.toString(), "--out", rows.toString(), "--header");

        assertThat(exit).isZero();
        ByteArrayOutputStream withHeader = new ByteArrayOutputStream();
        withHeader.writeBytes(TagStatsJob.HEADER.getBytes(UTF_8));
        withHeader.writeBytes(expectedRows);
        assertThat(Files.readAllBytes(rows)).isEqualTo(withHeader.toByteArray());
    }

    @Test
    void a_dash_reads_standard_input_and_rows_go_to_standard_output_by_default() {
        int exit = stats(input, "-");

        assertThat(exit).isZero();
        assertThat(stdout.toByteArray()).isEqualTo(expectedRows);
    }

    @Test
    void max_line_bytes_skips_longer_lines() throws IOException {
        Path summary = dir.resolve("summary.json");

        int exit = stats(input, "-", "--out", dir.resolve("rows.tsv").toString(), "--summary", summary.toString(),
                "--max-line-bytes", "100");

        assertThat(exit).isZero();
        Summary s = new ObjectMapper().readValue(summary.toFile(), Summary.class);
        assertThat(s.counters().kept()).isZero();
        assertThat(s.counters().skippedByReason().tooLong()).isEqualTo(linesLongerThan(100)).isPositive();
    }

    private long linesLongerThan(int bytes) {
        long longer = 0;
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == '\n') {
                int end = i > start && input[i - 1] == '\r' ? i - 1 : i;
                if (end - start > bytes) {
                    longer++;
                }
                start = i + 1;
            }
        }
        return longer;
    }

    @Test
    void a_missing_input_file_exits_1_with_one_line_on_stderr() {
        int exit = stats(new byte[0], dir.resolve("nope.jsonl").toString(), "--out", dir.resolve("r.tsv").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(UTF_8)).startsWith("tally stats: ").contains("nope.jsonl").endsWith("\n")
                .hasLineCount(1);
    }

    @Test
    void an_unwritable_output_exits_1() throws IOException {
        Path in = Files.write(dir.resolve("in.jsonl"), input);

        int exit = stats(new byte[0], in.toString(), "--out", dir.resolve("no/such/dir/rows.tsv").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(UTF_8)).hasLineCount(1).contains("rows.tsv");
    }

    @Test
    void the_input_file_may_be_the_output_too_and_is_read_whole_first() throws IOException {
        Path in = Files.write(dir.resolve("in.jsonl"), input);
        Path sameFile = Files.createLink(dir.resolve("also-in.jsonl"), in);

        int exit = stats(new byte[0], in.toString(), "--out", sameFile.toString());

        assertThat(exit).isZero();
        assertThat(Files.readAllBytes(in)).isEqualTo(expectedRows);
    }

    /** A real process: only there is standard input a file the output can be. */
    @Test
    void standard_input_read_from_the_output_file_is_read_whole_first() throws Exception {
        Path file = Files.write(dir.resolve("in.jsonl"), input);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "tally.Main", "stats", "-",
                "--out", file.toString()).redirectInput(file.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(expectedRows);
    }

    @Test
    void a_missing_spill_directory_exits_1_before_any_output_is_made() throws IOException {
        Path in = Files.write(dir.resolve("in.jsonl"), input);
        Path rows = dir.resolve("rows.tsv");

        int exit = stats(new byte[0], in.toString(), "--out", rows.toString(), "--spill-dir", dir.resolve("nope").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(UTF_8)).isEqualTo("tally stats: no such spill directory: " + dir.resolve("nope") + "\n");
        assertThat(rows).doesNotExist();
    }

    @Test
    void a_truncated_gzip_file_exits_1() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(gzipped)) {
            gz.write(input);
        }
        byte[] cut = java.util.Arrays.copyOf(gzipped.toByteArray(), gzipped.size() / 2);

        int exit = stats(cut, "-", "--out", dir.resolve("rows.tsv").toString());

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString(UTF_8)).hasLineCount(1);
    }

    @Test
    void missing_arguments_are_a_usage_error() {
        assertThat(stats(new byte[0])).isEqualTo(2);
        assertThat(stats(new byte[0], "-", "--max-line-bytes", "0")).isEqualTo(2);
    }

    @Test
    void a_usage_error_names_the_problem_in_one_line_then_shows_the_usage() {
        assertThat(stats(new byte[0], "-", "--threads", "two")).isEqualTo(2);

        assertThat(stderr.toString(UTF_8))
                .startsWith("tally stats: invalid value for --threads: 'two' is not a whole number\n"
                        + "Usage: tally stats [OPTIONS] FILE\n");
        assertThat(stdout.toByteArray()).isEmpty();
    }

    @Test
    void an_extra_file_and_an_unknown_option_are_usage_errors() {
        assertThat(stats(new byte[0], "a.jsonl", "b.jsonl")).isEqualTo(2);
        assertThat(stats(new byte[0], "-", "--sort")).isEqualTo(2);

        assertThat(stderr.toString(UTF_8)).contains("unexpected argument: b.jsonl", "unknown option: --sort");
    }

    @Test
    void options_may_come_before_the_file_joined_with_an_equals_sign() throws IOException {
        Path in = Files.write(dir.resolve("in.jsonl"), input);
        Path rows = dir.resolve("rows.tsv");

        int exit = stats(new byte[0], "--out=" + rows, "--threads=1", "--spill-dir", dir.toString(), "--",
                in.toString());

        assertThat(exit).isZero();
        assertThat(Files.readAllBytes(rows)).isEqualTo(expectedRows);
    }

    @Test
    void help_lists_every_option_on_standard_output_and_exits_0() {
        assertThat(stats(new byte[0], "--help")).isZero();

        assertThat(stdout.toString(UTF_8)).startsWith("Usage: tally stats [OPTIONS] FILE\n")
                .contains("FILE", "--out=FILE", "--summary=FILE", "--header", "--max-line-bytes=N",
                        "--sort-memory-bytes=N", "--threads=N", "--spill-dir=DIR", "--help", "--version");
        assertThat(stderr.toString(UTF_8)).isEmpty();
    }

    @Test
    void version_prints_the_version_line_and_exits_0() {
        assertThat(stats(new byte[0], "-V")).isZero();

        assertThat(stdout.toString(UTF_8)).matches("tally \\S+ \\(\\S+\\)\n");
    }
}
