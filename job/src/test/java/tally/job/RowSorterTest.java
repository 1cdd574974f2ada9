package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sorter's three ways to the same order: one thread, two threads, spilled runs. */
@Tag("unit")
class RowSorterTest {
    @TempDir
    Path spill;

    /** Keys with a long shared start, then few distinct bytes: equal keys, equal prefixes, short keys. */
    private static List<byte[]> keys(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder key = new StringBuilder(random.nextInt(4) == 0 ? "" : "http://delicious.com/url/");
            int tail = random.nextInt(12);
            for (int k = 0; k < tail; k++) {
                key.append("ab\u00e9\t".charAt(random.nextInt(4)));
            }
            keys.add(key.toString().getBytes(UTF_8));
        }
        return keys;
    }

    private static byte[] row(byte[] key, int i) {
        return (new String(key, UTF_8) + "\t" + i + "\n").getBytes(UTF_8);
    }

    /** The order docs/stats-contract.md, "The row" asks for, from a stable library sort. */
    private static byte[] expected(List<byte[]> keys) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            order.add(i);
        }
        order.sort((x, y) -> Arrays.compareUnsigned(keys.get(x), keys.get(y)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i : order) {
            out.writeBytes(row(keys.get(i), i));
        }
        return out.toByteArray();
    }

    private byte[] sorted(List<byte[]> keys, long memoryBytes, int parallelFromRows) throws IOException {
        try (RowSorter sorter = new RowSorter(memoryBytes, spill, parallelFromRows)) {
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                byte[] row = row(key, i);
                // Half the rows start with their key, half keep it apart, as the job's rows may.
                if (i % 2 == 0) {
                    sorter.add(row, 0, key.length, row, 0, row.length);
                } else {
                    sorter.add(key, 0, key.length, row, 0, row.length);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            sorter.writeSorted(out);
            return out.toByteArray();
        }
    }

    @Test
    void one_thread_and_two_threads_write_the_same_stable_order() throws IOException {
        for (int n : new int[] {0, 1, 2, 3, 17, 1000, 4099}) {
            List<byte[]> keys = keys(n, n);

            assertThat(sorted(keys, 64 << 20, Integer.MAX_VALUE)).as("one thread, %d rows", n).isEqualTo(expected(keys));
            assertThat(sorted(keys, 64 << 20, 0)).as("two threads, %d rows", n).isEqualTo(expected(keys));
        }
    }

    @Test
    void rows_that_would_not_fit_twice_in_the_budget_are_written_by_one_thread_in_the_same_order() throws IOException {
        List<byte[]> keys = keys(7, 3000);
        long rowBytes = 0;
        for (int i = 0; i < keys.size(); i++) {
            rowBytes += row(keys.get(i), i).length + keys.get(i).length;
        }

        // Enough for the rows and their bookkeeping, not for a second copy of half of them.
        byte[] tight = sorted(keys, rowBytes + 3000L * 36 + (64 << 10), 0);

        assertThat(tight).isEqualTo(expected(keys));
    }

    @Test
    void spilled_runs_merge_to_the_order_of_the_in_memory_sort() throws IOException {
        List<byte[]> keys = keys(11, 5000);

        assertThat(sorted(keys, 16 << 10, 0)).isEqualTo(expected(keys));
    }
}
