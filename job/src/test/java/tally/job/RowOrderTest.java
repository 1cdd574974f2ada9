package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.BookmarkGenerator;

/** docs/stats-contract.md, "The row": rows ordered by id as unsigned UTF-8 bytes, equal ids in input order, any size. */
@Tag("unit")
class RowOrderTest {
    @TempDir
    Path spill;

    private static String line(String id, String second) {
        return "{\"id\": \"" + id + "\", \"updated\": \"Sun, 06 Sep 2009 11:36:" + second + " +0000\","
                + " \"tags\": [{\"term\": \"x\"}]}\n";
    }

    private static String row(String id, String second) {
        return id + "\tSun\tSep\t2009\t11\t36\t" + second + "\t1\t1.0\t1.0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\n";
    }

    @Test
    void rows_are_sorted_by_id_bytes_unsigned_not_by_utf16() {
        // U+FFFD is EF BF BD; the emoji is F0 9F 8E B5: first in UTF-16 order (a surrogate), last in UTF-8.
        String input = line("b", "01") + line("\\ud83c\\udfb5", "02") + line("\uFFFD", "03") + line("é", "04")
                + line("~", "05") + line("B", "06") + line("a", "07") + line("", "08") + line("ab", "09");

        JobRun run = JobRun.of(input, spill);

        assertThat(run.rowsText()).isEqualTo(row("", "08") + row("B", "06") + row("a", "07") + row("ab", "09")
                + row("b", "01") + row("~", "05") + row("é", "04") + row("\uFFFD", "03") + row("🎵", "02"));
    }

    @Test
    void rows_with_equal_ids_keep_their_input_order() {
        String input = line("same", "03") + line("other", "00") + line("same", "01") + line("same", "02");

        assertThat(JobRun.of(input, spill).rowsText())
                .isEqualTo(row("other", "00") + row("same", "03") + row("same", "01") + row("same", "02"));
    }

    @Test
    void ids_are_compared_before_escaping() {
        // A TAB (09) sorts before "!" (21); written out it becomes backslash TAB.
        String input = line("a!", "01") + line("a\\t", "02");

        assertThat(JobRun.of(input, spill).rowsText()).isEqualTo(row("a\\\t", "02") + row("a!", "01"));
    }

    @Test
    void spilled_runs_merge_to_the_same_stable_order_as_in_memory() throws IOException {
        // Few distinct ids, so stability across runs is exercised.
        FewIds data = FewIds.of(7, 3000, 40);
        StringBuilder input = data.input();
        StringBuilder expected = data.expected();
        JobConfig tiny = new JobConfig(JobConfig.DEFAULT_MAX_LINE_BYTES, 2048);

        try (TagStatsJob job = new TagStatsJob(tiny, spill)) {
            byte[] bytes = input.toString().getBytes(UTF_8);
            job.accept(bytes, 0, bytes.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            job.finish(out);

            assertThat(out.toString(UTF_8)).isEqualTo(expected.toString());
            // More runs than one merge takes at once, so runs were merged in rounds.
            assertThat(listSpill()).as("sorted runs on disk").hasSizeGreaterThan(64);
            job.close();
            assertThat(listSpill()).as("spill files after close").isEmpty();
        }
    }

    @Test
    void equal_ids_spread_over_many_blocks_parsed_in_parallel_keep_their_input_order() {
        FewIds data = FewIds.of(11, 30_000, 25);
        StringBuilder input = data.input();
        StringBuilder expected = data.expected();

        // 16 KiB chunks: the job cuts blocks of 64 KiB and more, each parsed on one of the parser threads.
        for (int threads : new int[] {1, 2, 3}) {
            JobRun run = JobRun.of(input.toString().getBytes(UTF_8), JobConfig.defaults().withThreads(threads), 16 << 10,
                    spill);

            assertThat(run.rowsText()).as("%d parser threads", threads).isEqualTo(expected.toString());
        }
    }

    @Test
    void generated_data_gives_the_same_rows_whatever_the_sort_memory() {
        byte[] input = generated(11, 400_000);

        JobRun inMemory = JobRun.of(input, JobConfig.defaults(), 1 << 16, spill);
        JobRun spilled = JobRun.of(input, new JobConfig(JobConfig.DEFAULT_MAX_LINE_BYTES, 16 * 1024), 1 << 16, spill);

        assertThat(inMemory.counters().kept()).isGreaterThan(300);
        assertThat(spilled.rows()).isEqualTo(inMemory.rows());
        assertThat(spilled.result()).isEqualTo(inMemory.result());
    }

    /** Lines with few distinct ids (each line's second numbers it) and their rows in the job's order. */
    private record FewIds(StringBuilder input, StringBuilder expected) {
        static FewIds of(long seed, int lines, int distinctIds) {
            SplittableRandom random = new SplittableRandom(seed);
            StringBuilder input = new StringBuilder();
            List<String[]> rows = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                String id = "id-" + random.nextInt(distinctIds);
                String second = String.format("%05d", i);
                input.append(line(id, second));
                rows.add(new String[] {id, second});
            }
            // List.sort is stable: equal ids stay in input order, as the job must keep them.
            rows.sort((x, y) -> Arrays.compareUnsigned(x[0].getBytes(UTF_8), y[0].getBytes(UTF_8)));
            StringBuilder expected = new StringBuilder();
            for (String[] r : rows) {
                expected.append(row(r[0], r[1]));
            }
            return new FewIds(input, expected);
        }
    }

    static byte[] generated(long seed, long approxBytes) {
        try {
            return new BookmarkGenerator(seed).stream(approxBytes).readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private List<Path> listSpill() throws IOException {
        try (Stream<Path> files = Files.list(spill)) {
            return files.toList();
        }
    }
}
