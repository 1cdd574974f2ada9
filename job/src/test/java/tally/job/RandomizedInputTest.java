package tally.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damaged input, seeded: nothing throws, the counters add up, every row is well formed and in order. */
@Tag("unit")
class RandomizedInputTest {
    private static final byte[] NASTY = {'"', '\\', '{', '}', '[', ']', ',', ':', ' ', '\r', '\t', 0, 'u',
        (byte) 0xC3, (byte) 0xA9, (byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xF0, (byte) 0xFF, 'N', '-', '1'};

    @TempDir
    Path spill;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void damaged_lines_never_break_the_job(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] input = damage(RowOrderTest.generated(seed, 150_000), random);
        JobConfig config = JobConfig.defaults().withMaxLineBytes(1500);

        JobRun run = JobRun.of(input, config, Integer.MAX_VALUE, spill);
        JobRun chunked = JobRun.of(input, config, random.nextInt(1, 300), spill);

        Counters c = run.counters();
        assertThat(c.lines()).isEqualTo(lineCount(input)).isEqualTo(c.kept() + c.noTags() + c.skipped());
        Counters.SkippedByReason r = c.skippedByReason();
        assertThat(r.invalidJson() + r.notObject() + r.badTags() + r.badUpdated() + r.badId() + r.tooLong())
                .isEqualTo(c.skipped());
        assertThat(r.invalidJson()).isPositive();
        assertThat(c.kept()).isPositive();
        assertThat(chunked.rows()).isEqualTo(run.rows());
        assertThat(chunked.result()).isEqualTo(run.result());
        assertRowsWellFormed(run.rows(), c.kept());
    }

    /** Every row has 20 fields (separators are TABs without a backslash before them) and ids ascend. */
    private static void assertRowsWellFormed(byte[] rows, long expectedRows) {
        int rowCount = 0;
        byte[] previousId = new byte[0];
        int start = 0;
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == '\\') {
                i++;
                continue;
            }
            if (rows[i] != '\n') {
                continue;
            }
            int fields = 1;
            int idEnd = -1;
            for (int j = start; j < i; j++) {
                if (rows[j] == '\\') {
                    j++;
                } else if (rows[j] == '\t') {
                    fields++;
                    if (idEnd < 0) {
                        idEnd = j;
                    }
                }
            }
            assertThat(fields).as("fields of row %d", rowCount).isEqualTo(20);
            byte[] id = unescape(Arrays.copyOfRange(rows, start, idEnd));
            assertThat(Arrays.compareUnsigned(previousId, id)).as("order at row %d", rowCount).isLessThanOrEqualTo(0);
            previousId = id;
            rowCount++;
            start = i + 1;
        }
        assertThat(start).isEqualTo(rows.length);
        assertThat(rowCount).isEqualTo(expectedRows);
    }

    private static byte[] unescape(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\\') {
                i++;
            }
            out.write(text[i]);
        }
        return out.toByteArray();
    }

    private static byte[] damage(byte[] clean, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(clean.length);
        for (int i = 0; i < clean.length; i++) {
            int dice = random.nextInt(2000);
            if (dice == 0) {
                continue; // drop a byte
            }
            if (dice == 1) {
                out.write(NASTY[random.nextInt(NASTY.length)]); // insert one
            } else if (dice == 2) {
                out.write(random.nextInt(256));
            } else if (dice == 3) {
                out.write('\n'); // cut a line in two
            } else if (dice == 4) {
                out.write(clean, i, Math.min(clean.length - i, random.nextInt(2000))); // repeat a stretch
            }
            out.write(clean[i]);
        }
        return out.toByteArray();
    }

    private static long lineCount(byte[] input) {
        long lf = 0;
        for (byte b : input) {
            if (b == '\n') {
                lf++;
            }
        }
        return input.length > 0 && input[input.length - 1] != '\n' ? lf + 1 : lf;
    }
}
