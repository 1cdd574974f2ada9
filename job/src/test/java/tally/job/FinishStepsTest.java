package tally.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** finish() in steps: the summary may be made on another thread while the rows are written. */
@Tag("unit")
class FinishStepsTest {
    @TempDir
    Path spill;

    private final byte[] input = RowOrderTest.generated(17, 2_000_000);

    @Test
    void the_result_made_while_another_thread_writes_the_rows_is_finishs() throws IOException {
        ByteArrayOutputStream expectedRows = new ByteArrayOutputStream();
        JobResult expected;
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spill)) {
            job.accept(input, 0, input.length);
            expected = job.finish(expectedRows);
        }

        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        JobResult result;
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spill)) {
            job.accept(input, 0, input.length);
            job.endInput();
            CompletableFuture<JobResult> summary = CompletableFuture.supplyAsync(job::result);
            job.writeRows(rows);
            result = summary.join();
        }

        assertThat(result).isEqualTo(expected);
        assertThat(rows.toByteArray()).isEqualTo(expectedRows.toByteArray());
        assertThat(result.counters().kept()).isPositive();
    }

    @Test
    void the_result_needs_the_end_of_the_input_and_no_input_follows_it() throws IOException {
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spill)) {
            job.accept(input, 0, 1000);

            assertThatThrownBy(job::result).isInstanceOf(IllegalStateException.class).hasMessageContaining("endInput");
            job.endInput();
            assertThatThrownBy(() -> job.accept(input, 0, 10)).isInstanceOf(IllegalStateException.class);
            assertThat(job.result().counters().bytes()).isEqualTo(1000);
        }
    }
}
