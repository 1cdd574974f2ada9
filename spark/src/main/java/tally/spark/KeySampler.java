package tally.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import tally.job.LineJob;
import tally.job.Outcome;

/**
 * The bounds of {@link RowRanges}, from keys sampled in a few small windows of every slice. Spark's
 * own {@code RangePartitioner} samples by reading all of its input, which here would mean reading
 * and parsing the whole input twice; these windows read about 64 KiB per wanted sample instead
 * (an evenly spread 0.05 % of a 128 MiB slice at 8 samples). A gzip file cannot be entered in the
 * middle: its samples come from its first lines.
 *
 * <p>Sizes follow Spark's: 20 samples per partition, three times over, spread over the slices by
 * their size.
 */
final class KeySampler {
    static final int WINDOW_BYTES = 64 << 10;
    /** How far into a gzip file samples are looked for. */
    static final long GZIP_SAMPLE_BYTES = 4L << 20;
    private static final int SAMPLES_PER_PARTITION = 60;
    private static final int MAX_SAMPLES = 1_000_000;

    private KeySampler() {
    }

    /** Strictly increasing bounds, fewer than {@code partitions}; none for one partition. */
    static RowKey[] bounds(JavaSparkContext sc, List<InputSlice> slices, int partitions,
            Broadcast<SerializableConfiguration> conf, int maxLineBytes) {
        if (partitions == 1) {
            return new RowKey[0];
        }
        long total = Math.max(1, slices.stream().mapToLong(InputSlice::length).sum());
        long target = Math.min((long) SAMPLES_PER_PARTITION * partitions, MAX_SAMPLES);
        List<RowKey> samples = new ArrayList<>(sc.parallelize(slices, slices.size())
                .flatMap(slice -> sample(slice, wanted(slice, target, total), conf.value().value(), maxLineBytes)
                        .iterator())
                .collect());
        samples.sort(new RowKeyOrder());
        return pick(samples, partitions);
    }

    /** The samples at every {@code 1/partitions} of the sorted samples, duplicates left out. */
    static RowKey[] pick(List<RowKey> sorted, int partitions) {
        RowKeyOrder order = new RowKeyOrder();
        List<RowKey> bounds = new ArrayList<>();
        for (int i = 1; i < partitions && !sorted.isEmpty(); i++) {
            RowKey candidate = sorted.get((int) ((long) sorted.size() * i / partitions));
            if (bounds.isEmpty() || order.compare(bounds.get(bounds.size() - 1), candidate) < 0) {
                bounds.add(candidate);
            }
        }
        return bounds.toArray(new RowKey[0]);
    }

    private static int wanted(InputSlice slice, long target, long total) {
        return (int) Math.max(1, (target * slice.length() + total - 1) / total);
    }

    /** Up to {@code wanted} keys of kept lines, from windows spread evenly over the slice. */
    static List<RowKey> sample(InputSlice slice, int wanted, Configuration conf, int maxLineBytes) throws IOException {
        List<RowKey> keys = new ArrayList<>();
        if (slice.length() == 0) {
            return keys;
        }
        int windows = slice.gzip() ? 1 : (int) Math.min(wanted, (slice.length() + WINDOW_BYTES - 1) / WINDOW_BYTES);
        int perWindow = (wanted + windows - 1) / windows;
        LineJob job = new LineJob(JobOptions.config(maxLineBytes));
        for (int w = 0; w < windows; w++) {
            long start = slice.start() + slice.length() * w / windows;
            long length = slice.gzip() ? slice.length() : Math.min(WINDOW_BYTES, slice.end() - start);
            InputSlice window = slice.window(start, length);
            int found = 0;
            try (LineReader reader = LineReader.open(new Path(slice.path()).getFileSystem(conf), window, maxLineBytes)) {
                while (found < perWindow && reader.bytes() < GZIP_SAMPLE_BYTES && reader.next()) {
                    if (job.accept(reader.buffer(), reader.start(), reader.end()) == Outcome.KEPT) {
                        keys.add(new RowKey(job.key(), slice.file(), reader.position()));
                        found++;
                    }
                }
            }
        }
        return keys;
    }
}
