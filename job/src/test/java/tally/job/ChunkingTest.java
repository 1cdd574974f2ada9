package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's output does not depend on how the bytes arrive. */
@Tag("unit")
class ChunkingTest {
    @TempDir
    Path spill;

    @Test
    void chunk_sizes_do_not_change_rows_counters_or_summary() {
        byte[] input = RowOrderTest.generated(3, 60_000);
        JobRun whole = JobRun.of(input, JobConfig.defaults().withThreads(1), Integer.MAX_VALUE, spill);

        for (int chunk : new int[] {1, 2, 3, 7, 100, 4096, 65_536}) {
            JobRun chunked = JobRun.of(input, JobConfig.defaults().withThreads(chunk % 2 + 1), chunk, spill);

            assertThat(chunked.rows()).as("rows, chunks of %d", chunk).isEqualTo(whole.rows());
            assertThat(chunked.result()).as("result, chunks of %d", chunk).isEqualTo(whole.result());
        }
        assertThat(whole.counters().kept()).isGreaterThan(30);
    }

    @Test
    void progress_reaches_the_final_counts_when_parsed_on_other_threads() throws Exception {
        byte[] input = RowOrderTest.generated(4, 500_000);
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults().withThreads(2), spill)) {
            long lastLines = 0;
            for (int i = 0; i < input.length; i += 10_000) {
                job.accept(input, i, Math.min(10_000, input.length - i));
                Progress p = job.progress();
                assertThat(p.bytes()).isEqualTo(Math.min(i + 10_000, input.length));
                assertThat(p.lines()).isGreaterThanOrEqualTo(lastLines).isEqualTo(p.kept() + p.noTags() + p.skipped());
                lastLines = p.lines();
            }
            Counters counters = job.finish(java.io.OutputStream.nullOutputStream()).counters();

            assertThat(job.progress()).isEqualTo(new Progress(counters.bytes(), counters.lines(), counters.kept(),
                    counters.noTags(), counters.skipped()));
        }
    }

    @Test
    void random_chunk_boundaries_do_not_change_the_output() throws Exception {
        byte[] input = RowOrderTest.generated(5, 200_000);
        JobRun whole = JobRun.of(input, JobConfig.defaults(), Integer.MAX_VALUE, spill);
        SplittableRandom random = new SplittableRandom(9);

        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spill)) {
            int p = 0;
            while (p < input.length) {
                int n = Math.min(input.length - p, random.nextInt(1, 5000));
                // Copy into a fresh, larger array at an offset: the job must honour off and len.
                byte[] chunk = new byte[n + 20];
                System.arraycopy(input, p, chunk, 10, n);
                job.accept(chunk, 10, n);
                p += n;
            }
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            JobResult result = job.finish(rows);

            assertThat(rows.toByteArray()).isEqualTo(whole.rows());
            assertThat(result).isEqualTo(whole.result());
        }
    }

    @Test
    void reading_a_stream_into_the_blocks_gives_what_accept_gives_over_long_lines_too() throws Exception {
        // Over-long lines (the cap is 4 KiB here) that end inside a later read, and one at the very end.
        StringBuilder text = new StringBuilder(new String(RowOrderTest.generated(6, 300_000), UTF_8));
        text.insert(text.indexOf("\n", 100_000) + 1, "{\"x\": \"" + "a".repeat(50_000) + "\"}\n");
        text.append("{\"y\": \"").append("b".repeat(9_000));
        byte[] input = text.toString().getBytes(UTF_8);
        JobConfig config = new JobConfig(4096, JobConfig.DEFAULT_SORT_MEMORY_BYTES).withThreads(2);
        JobRun accepted = JobRun.of(input, config, 1000, spill);
        SplittableRandom random = new SplittableRandom(12);

        try (TagStatsJob job = new TagStatsJob(config, spill)) {
            // A stream that returns short reads of random sizes, as pipes and gzip do.
            job.acceptAll(new java.io.ByteArrayInputStream(input) {
                @Override
                public synchronized int read(byte[] b, int off, int len) {
                    return super.read(b, off, Math.min(len, random.nextInt(1, 70_000)));
                }
            });
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            JobResult result = job.finish(rows);

            assertThat(rows.toByteArray()).isEqualTo(accepted.rows());
            assertThat(result).isEqualTo(accepted.result());
            assertThat(result.counters().skippedByReason().tooLong()).isEqualTo(2);
        }
    }

    @Test
    void one_parsing_thread_and_several_give_the_same_output() {
        byte[] input = RowOrderTest.generated(8, 3_000_000);
        JobRun one = JobRun.of(input, JobConfig.defaults().withThreads(1), 1 << 20, spill);

        for (int chunk : new int[] {1000, 16 * 1024, 1 << 20, Integer.MAX_VALUE}) {
            JobRun three = JobRun.of(input, JobConfig.defaults().withThreads(3), chunk, spill);

            assertThat(three.rows()).as("rows, chunks of %d", chunk).isEqualTo(one.rows());
            assertThat(three.result()).as("result, chunks of %d", chunk).isEqualTo(one.result());
        }
    }

    @Test
    void progress_counts_lines_as_they_complete_when_parsed_on_the_calling_thread() throws Exception {
        byte[] input = "{}\n{}\n{".getBytes(UTF_8);
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults().withThreads(1), spill)) {
            job.accept(input, 0, 4);
            assertThat(job.progress()).isEqualTo(new Progress(4, 1, 0, 1, 0));

            job.accept(input, 4, input.length - 4);
            assertThat(job.progress()).isEqualTo(new Progress(7, 2, 0, 2, 0));

            job.finish(java.io.OutputStream.nullOutputStream());
            assertThat(job.progress()).isEqualTo(new Progress(7, 3, 0, 2, 1));
        }
    }
}
