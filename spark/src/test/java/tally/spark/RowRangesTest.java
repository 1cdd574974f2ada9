package tally.spark;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The partitioner and its bounds, without Spark. */
@Tag("spark")
class RowRangesTest {

    @Test
    void keys_go_to_the_range_of_the_first_bound_at_or_above_them_and_markers_spread() {
        RowKey[] bounds = {key("b", 0, 0), key("b", 0, 50), key("\u00e9", 0, 0)};
        RowRanges ranges = new RowRanges(5, bounds);

        assertThat(ranges.getPartition(key("a", 3, 99))).isZero();
        assertThat(ranges.getPartition(key("b", 0, 0))).isZero();
        assertThat(ranges.getPartition(key("b", 0, 10))).isEqualTo(1);
        assertThat(ranges.getPartition(key("b", 1, 0))).isEqualTo(2);
        assertThat(ranges.getPartition(key("z", 0, 0))).isEqualTo(2); // 'z' < 'é' in UTF-8 bytes
        assertThat(ranges.getPartition(key("\u00e9t\u00e9", 0, 0))).isEqualTo(3);
        assertThat(ranges.getPartition(RowKey.marker(12))).isEqualTo(2);
        assertThat(ranges).isEqualTo(new RowRanges(5, bounds.clone())).hasSameHashCodeAs(new RowRanges(5, bounds));
        assertThat(ranges).isNotEqualTo(new RowRanges(4, bounds));
        assertThatThrownBy(() -> new RowRanges(3, bounds)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bounds_are_picked_evenly_from_the_samples_without_repeating_one() {
        List<RowKey> sorted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sorted.add(key("hot", 0, 0));
        }
        sorted.add(key("z", 0, 0));

        assertThat(KeySampler.pick(sorted, 4)).containsExactly(key("hot", 0, 0));
        assertThat(KeySampler.pick(List.of(), 4)).isEmpty();
        assertThat(KeySampler.pick(List.of(key("a", 0, 0), key("b", 0, 0)), 2)).containsExactly(key("b", 0, 0));
    }

    @Test
    void markers_sort_before_rows_and_rows_by_id_bytes_then_file_then_offset() {
        RowKeyOrder order = new RowKeyOrder();
        List<RowKey> keys = new ArrayList<>(List.of(key("b", 0, 1), key("a", 1, 0), RowKey.marker(2), key("a", 0, 7),
                RowKey.marker(1), key("\u00e9", 0, 0), key("b", 0, 0)));

        keys.sort(order);

        assertThat(keys).containsExactly(RowKey.marker(1), RowKey.marker(2), key("a", 0, 7), key("a", 1, 0),
                key("b", 0, 0), key("b", 0, 1), key("\u00e9", 0, 0));
    }

    @Test
    void the_writers_reports_merge_about_eight_at_a_time() {
        assertThat(SparkStatsJob.treeDepth(1)).isEqualTo(2);
        assertThat(SparkStatsJob.treeDepth(64)).isEqualTo(2);
        assertThat(SparkStatsJob.treeDepth(65)).isEqualTo(3);
        assertThat(SparkStatsJob.treeDepth(20_000)).isEqualTo(5);
    }

    private static RowKey key(String id, int file, long offset) {
        return new RowKey(id.getBytes(UTF_8), file, offset);
    }
}
