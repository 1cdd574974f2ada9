package tally.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.BookmarkGenerator;

/** A block result is reused from block to block: nothing of an earlier block may show in a later one. */
@Tag("unit")
class BlockResultTest {
    private static final int MAX_LINE_BYTES = JobConfig.DEFAULT_MAX_LINE_BYTES;

    @TempDir
    Path spill;

    private static byte[] block(long seed) throws IOException {
        // A few bad lines too, so that every counter of the first block is non-zero.
        return new BookmarkGenerator(seed, 0.05).stream(300_000).readAllBytes();
    }

    private byte[] rows(BlockResult result) throws IOException {
        try (RowSorter sorter = new RowSorter(JobConfig.DEFAULT_SORT_MEMORY_BYTES, spill)) {
            result.drainTo(sorter);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            sorter.writeSorted(out);
            return out.toByteArray();
        }
    }

    @Test
    void a_result_that_parsed_one_block_then_another_holds_what_a_new_one_gives_for_the_second() throws IOException {
        byte[] first = block(1);
        byte[] second = block(2);
        LineParser parser = new LineParser();
        BlockResult reused = new BlockResult(JobConfig.DEFAULT_MAX_EXACT_TERMS);
        reused.parse(parser, first, 0, first.length, MAX_LINE_BYTES);
        assertThat(reused.aggregates.kept()).isPositive();

        reused.parse(parser, second, 0, second.length, MAX_LINE_BYTES);
        BlockResult fresh = new BlockResult(JobConfig.DEFAULT_MAX_EXACT_TERMS)
                .parse(new LineParser(), second, 0, second.length, MAX_LINE_BYTES);

        assertThat(reused.input).isSameAs(second);
        assertThat(reused.aggregates.counters(second.length)).isEqualTo(fresh.aggregates.counters(second.length));
        assertThat(reused.aggregates.summary(second.length)).isEqualTo(fresh.aggregates.summary(second.length));
        assertThat(rows(reused)).isEqualTo(rows(fresh)).isNotEmpty();
    }

    @Test
    void cleared_aggregates_merge_as_new_ones() throws IOException {
        byte[] first = block(3);
        byte[] second = block(4);
        BlockResult reused = new BlockResult(JobConfig.DEFAULT_MAX_EXACT_TERMS)
                .parse(new LineParser(), first, 0, first.length, MAX_LINE_BYTES);
        Aggregates totals = new Aggregates(JobConfig.DEFAULT_MAX_EXACT_TERMS);
        totals.merge(reused.aggregates);
        reused.parse(new LineParser(), second, 0, second.length, MAX_LINE_BYTES);
        totals.merge(reused.aggregates);

        Aggregates expected = new Aggregates(JobConfig.DEFAULT_MAX_EXACT_TERMS);
        expected.merge(new BlockResult(JobConfig.DEFAULT_MAX_EXACT_TERMS)
                .parse(new LineParser(), first, 0, first.length, MAX_LINE_BYTES).aggregates);
        expected.merge(new BlockResult(JobConfig.DEFAULT_MAX_EXACT_TERMS)
                .parse(new LineParser(), second, 0, second.length, MAX_LINE_BYTES).aggregates);
        long bytes = first.length + second.length;
        assertThat(totals.summary(bytes)).isEqualTo(expected.summary(bytes));
        assertThat(totals.counters(bytes)).isEqualTo(expected.counters(bytes));
    }
}
