package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-line API, used the way a distributed engine uses it: lines split into partitions, each run
 * by its own {@link LineJob}, rows sorted by {@link RowOrder} with their input positions (in an order
 * that is not stable), aggregates serialized and merged. The result must be the whole-file job's.
 */
@Tag("unit")
class LineJobTest {
    @TempDir
    Path spill;

    private record KeyedRow(byte[] key, long position, byte[] row) {
    }

    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 7})
    void partitions_merged_give_the_whole_file_jobs_rows_and_summary(int partitions) throws Exception {
        byte[] input = withEqualIdsAndBadLines(RowOrderTest.generated(11, 60_000));
        JobConfig config = JobConfig.defaults().withMaxLineBytes(2000);
        JobRun whole = JobRun.of(input, config, Integer.MAX_VALUE, spill);

        List<byte[]> lines = lines(input);
        List<KeyedRow> rows = new ArrayList<>();
        Aggregates merged = new Aggregates(config.maxExactTerms());
        int perPartition = (lines.size() + partitions - 1) / partitions;
        for (int p = 0; p < partitions; p++) {
            LineJob job = new LineJob(config);
            for (int i = p * perPartition; i < Math.min(lines.size(), (p + 1) * perPartition); i++) {
                byte[] line = lines.get(i);
                if (job.accept(line, 0, line.length) == Outcome.KEPT) {
                    rows.add(new KeyedRow(job.key(), i, job.row()));
                }
            }
            merged.merge(roundTrip(job.aggregates()));
        }
        // Newest position first: only the position tie-break can put equal keys back in input order.
        rows.sort(Comparator.comparingLong(KeyedRow::position).reversed());
        rows.sort((a, b) -> RowOrder.compare(a.key(), a.position(), b.key(), b.position()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (KeyedRow row : rows) {
            out.write(row.row());
        }

        assertThat(out.toString(UTF_8)).isEqualTo(whole.rowsText());
        assertThat(merged.summary(input.length)).isEqualTo(whole.result().summary());
        assertThat(merged.counters(input.length)).isEqualTo(whole.counters());
        assertThat(whole.counters().skipped()).isPositive();
    }

    @Test
    void a_line_is_counted_by_its_outcome_and_only_a_kept_line_has_a_row() {
        LineJob job = new LineJob(JobConfig.defaults().withMaxLineBytes(100));
        byte[] kept = line("{\"id\": \"b\", \"updated\": \"Mon, 07 Sep 2009 17:01:02 +0000\", \"tags\": [{\"term\": \"x\"}]}\r");
        byte[] noTags = line("{\"id\": \"a\", \"updated\": \"Mon, 07 Sep 2009 17:01:02 +0000\"}");
        byte[] tooLong = line("{\"id\": \"" + "z".repeat(200) + "\"}");

        assertThat(job.accept(kept, 0, kept.length)).isEqualTo(Outcome.KEPT);
        assertThat(new String(job.row(), UTF_8)).isEqualTo("b\tMon\tSep\t2009\t17\t01\t02\t1\t1.0\t1.0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\n");
        assertThat(job.key()).isEqualTo(new byte[] {'b'});
        assertThat(job.accept(noTags, 0, noTags.length)).isEqualTo(Outcome.NO_TAGS);
        assertThatThrownBy(job::row).isInstanceOf(IllegalStateException.class);
        assertThat(job.accept(tooLong, 0, tooLong.length)).isEqualTo(Outcome.TOO_LONG);
        assertThat(job.accept(kept, 0, 3)).isEqualTo(Outcome.INVALID_JSON);

        Counters counters = job.aggregates().counters(0);
        assertThat(counters.lines()).isEqualTo(4);
        assertThat(counters.kept()).isEqualTo(1);
        assertThat(counters.noTags()).isEqualTo(1);
        assertThat(counters.skippedByReason().tooLong()).isEqualTo(1);
        assertThat(counters.skippedByReason().invalidJson()).isEqualTo(1);
        assertThat(Outcome.BAD_UPDATED.label()).isEqualTo("bad_updated");
        assertThat(Outcome.NO_TAGS.isSkip()).isFalse();
        assertThat(Outcome.TOO_LONG.isSkip()).isTrue();
    }

    @Test
    void a_range_holding_an_lf_is_refused_rather_than_read_as_one_line() {
        byte[] two = line("{}\n{}");
        assertThatThrownBy(() -> new LineJob(JobConfig.defaults()).accept(two, 0, two.length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LF");
    }

    private static byte[] withEqualIdsAndBadLines(byte[] generated) {
        String text = new String(generated, UTF_8);
        String first = text.substring(0, text.indexOf('\n') + 1);
        return (first + text + "not json\n" + first + "[1]\n" + first).getBytes(UTF_8);
    }

    private static List<byte[]> lines(byte[] input) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == '\n') {
                if (i > start || i < input.length) {
                    lines.add(java.util.Arrays.copyOfRange(input, start, i));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static Aggregates roundTrip(Aggregates aggregates) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(aggregates);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Aggregates) in.readObject();
        }
    }

    private static byte[] line(String text) {
        return text.getBytes(UTF_8);
    }
}
