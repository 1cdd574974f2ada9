package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class NumbersTest {

    @Test
    void counts_are_grouped_by_thousands() {
        assertThat(Numbers.grouped(0)).isEqualTo("0");
        assertThat(Numbers.grouped(1_234_567)).isEqualTo("1,234,567");
    }

    @Test
    void axis_labels_are_compact() {
        assertThat(Numbers.compact(999)).isEqualTo("999");
        assertThat(Numbers.compact(2_500)).isEqualTo("2.5k");
        assertThat(Numbers.compact(50_000)).isEqualTo("50k");
        assertThat(Numbers.compact(1_200_000)).isEqualTo("1.2M");
    }

    @Test
    void sizes_read_like_a_file_manager_and_limits_like_the_flag_that_set_them() {
        assertThat(Numbers.bytes(512)).isEqualTo("512 B");
        assertThat(Numbers.bytes(52_000_000)).isEqualTo("52 MB");
        assertThat(Numbers.bytes(52_400_000)).isEqualTo("52.4 MB");
        assertThat(Numbers.limit(1L << 30)).isEqualTo("1 GiB");
        assertThat(Numbers.limit(64L << 20)).isEqualTo("64 MiB");
        assertThat(Numbers.limit(2_000_000)).isEqualTo("2 MB");
    }
}
