package tally.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.api.java.JavaSparkContext;
import tally.job.Counters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark job in local mode against the single-machine job, in-process: the part files in name order
 * must be its rows and summary.json its summary, byte for byte.
 */
@Tag("spark")
class SparkStatsJobTest {
    private static final byte[] HOSTILE = HostileInput.build(20, 200_000);
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        sc = new JavaSparkContext(SparkStatsJob.conf()
                .setMaster("local[2]")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                // Few cores, small data: Spark's default of 200 threads of its own is not needed.
                .set("spark.shuffle.sort.bypassMergeThreshold", "200"));
    }

    @AfterAll
    static void stopSpark() {
        sc.close();
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 7})
    void rows_and_summary_match_stats_for_hostile_input_in_partitions(int partitions) throws IOException {
        Path input = write("input.jsonl", HOSTILE);
        Path out = dir.resolve("out");

        SparkStatsJob.Result result = run(input, out, partitions, HOSTILE.length / partitions + 1);

        assertSameAsStats(out, HOSTILE);
        assertThat(StatsRun.parts(out)).hasSize(partitions);
        assertThat(result.counters().bytes()).isEqualTo(HOSTILE.length);
        Counters.SkippedByReason skipped = result.counters().skippedByReason();
        assertThat(List.of(skipped.invalidJson(), skipped.notObject(), skipped.badTags(), skipped.badUpdated(),
                skipped.badId(), skipped.tooLong())).allMatch(n -> n > 0);
        assertThat(result.counters().noTags()).isPositive();
    }

    @Test
    void a_hot_id_is_split_across_partitions_and_keeps_input_order() throws IOException {
        byte[] hot = HostileInput.hotOnly(2000);
        Path out = dir.resolve("out");

        run(write("hot.jsonl", hot), out, 4, hot.length / 5);

        assertSameAsStats(out, hot);
        assertThat(StatsRun.parts(out)).filteredOn(part -> part.toFile().length() > 0).hasSizeGreaterThan(1);
    }

    @Test
    void a_gzip_input_gives_the_rows_and_summary_of_its_decompressed_bytes() throws IOException {
        Path out = dir.resolve("out");

        SparkStatsJob.Result result = run(write("input.jsonl.gz", gzip(HOSTILE)), out, 3, 1000);

        assertSameAsStats(out, HOSTILE);
        assertThat(result.counters().bytes()).isEqualTo(HOSTILE.length);
    }

    @Test
    void a_gzip_file_not_named_gz_is_recognised_by_its_magic_bytes_as_stats_does() throws IOException {
        Path out = dir.resolve("out");

        run(write("input.jsonl", gzip(HOSTILE)), out, 2, 4096);

        assertSameAsStats(out, HOSTILE);
    }

    @Test
    void more_partitions_and_slices_than_lines_leave_empty_parts() throws IOException {
        byte[] three = (HostileInput.record("b", HostileInput.UPDATED, "x") + "\n"
                + HostileInput.record("a", HostileInput.UPDATED, "y") + "\r\n"
                + HostileInput.record("a", HostileInput.UPDATED, "z")).getBytes(UTF_8);
        Path out = dir.resolve("out");

        run(write("three.jsonl", three), out, 7, 10);

        assertSameAsStats(out, three);
        assertThat(StatsRun.parts(out)).hasSize(7);
    }

    @Test
    void an_empty_input_gives_empty_parts_and_the_summary_of_nothing() throws IOException {
        Path out = dir.resolve("out");

        run(write("empty.jsonl", new byte[0]), out, 2, 1000);

        assertSameAsStats(out, new byte[0]);
    }

    @Test
    void a_directory_reads_as_its_visible_files_concatenated_in_name_order() throws IOException {
        byte[] first = Arrays.copyOf(HOSTILE, indexAfterLf(HOSTILE, HOSTILE.length / 2));
        byte[] second = Arrays.copyOfRange(HOSTILE, first.length, HOSTILE.length);
        Path input = Files.createDirectories(dir.resolve("in"));
        Files.write(input.resolve("b.jsonl"), second);
        Files.write(input.resolve("a.jsonl.gz"), gzip(first));
        Files.write(input.resolve("_SUCCESS"), "not input\n".getBytes(UTF_8));
        Path out = dir.resolve("out");

        run(input, out, 3, 20_000);

        assertSameAsStats(out, HOSTILE);
    }

    @Test
    void a_failing_job_leaves_neither_output_nor_success_marker_nor_staging() throws IOException {
        byte[] gz = gzip(HOSTILE);
        Path input = write("broken.jsonl.gz", Arrays.copyOf(gz, gz.length / 2));
        Path out = dir.resolve("out");

        assertThatThrownBy(() -> run(input, out, 2, 1000)).hasStackTraceContaining("EOFException");

        assertThat(out).doesNotExist();
        assertThat(listNames(dir)).containsExactly("broken.jsonl.gz");
    }

    @Test
    void a_second_run_into_the_same_output_is_refused_unless_it_may_overwrite() throws IOException {
        Path input = write("input.jsonl", HOSTILE);
        Path out = dir.resolve("out");
        run(input, out, 2, 50_000);
        Path other = write("other.jsonl", HostileInput.hotOnly(10));

        assertThatThrownBy(() -> run(other, out, 2, 50_000))
                .isInstanceOf(OutputCommit.OutputExistsException.class).hasMessageContaining("--overwrite");
        assertSameAsStats(out, HOSTILE);

        SparkStatsJob.run(sc, new JobOptions(other.toString(), out.toString()).withPartitions(3)
                .withMaxLineBytes(HostileInput.MAX_LINE_BYTES).withOverwrite(true));
        assertSameAsStats(out, HostileInput.hotOnly(10));
        assertThat(StatsRun.parts(out)).hasSize(3);
    }

    @Test
    void wrong_arguments_print_the_usage_and_exit_2_without_starting_spark() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThat(SparkStatsJob.run(new String[] {"only-input"}, print(out), print(err))).isEqualTo(2);
        assertThat(SparkStatsJob.run(new String[] {"a", "b", "--partitions", "x"}, print(out), print(err))).isEqualTo(2);
        assertThat(SparkStatsJob.run(new String[] {"a", "b", "--max-line-bytes", "0"}, print(out), print(err))).isEqualTo(2);
        assertThat(SparkStatsJob.run(new String[] {"a", "b", "--bogus"}, print(out), print(err))).isEqualTo(2);
        assertThat(err.toString(UTF_8)).contains("usage: tally.spark.SparkStatsJob INPUT OUTDIR", "unknown option --bogus",
                "--partitions takes a whole number, not x", "--max-line-bytes must be within 1..");
        assertThat(SparkStatsJob.run(new String[] {"--help"}, print(out), print(err))).isZero();
        assertThat(out.toString(UTF_8)).contains("--overwrite");
    }

    @Test
    void options_are_read_from_the_command_line() {
        JobOptions options = JobOptions.parse("in", "out", "--partitions", "5", "--split-bytes", "4294967296",
                "--max-line-bytes", "100", "--overwrite");

        assertThat(options).isEqualTo(new JobOptions("in", "out", 5, 4L << 30, 100, true));
        assertThatThrownBy(() -> JobOptions.parse("in", "out", "--partitions")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> JobOptions.parse("in", "out", "--partitions", "-1")).hasMessageContaining("positive");
    }

    private SparkStatsJob.Result run(Path input, Path out, int partitions, long splitBytes) throws IOException {
        return SparkStatsJob.run(sc, new JobOptions(input.toString(), out.toString()).withPartitions(partitions)
                .withSplitBytes(splitBytes).withMaxLineBytes(HostileInput.MAX_LINE_BYTES));
    }

    private void assertSameAsStats(Path out, byte[] input) throws IOException {
        StatsRun expected = StatsRun.local(input, HostileInput.MAX_LINE_BYTES, Files.createDirectories(dir.resolve("spill")));
        StatsRun actual = StatsRun.read(out);
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.summary()).isEqualTo(expected.summary());
        assertThat(out.resolve(OutputCommit.SUCCESS)).exists();
        assertThat(listNames(dir)).noneMatch(name -> name.contains("_temporary"));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes);
        }
        return gz.toByteArray();
    }

    private static int indexAfterLf(byte[] bytes, int from) {
        int i = from;
        while (bytes[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    private static List<String> listNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.equals("spill")).sorted().toList();
        }
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, UTF_8);
    }
}
