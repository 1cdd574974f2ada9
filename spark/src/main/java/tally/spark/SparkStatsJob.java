package tally.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.util.SerializableConfiguration;
import tally.job.Counters;
import tally.job.SummaryJson;

/**
 * {@code tally stats} on Spark: the same rows, as part files whose concatenation in name order is
 * the rows file, and the same {@code summary.json}, for inputs bigger than one machine.
 *
 * <p>How it runs: the input is cut into slices ({@link InputPlan}); each task runs {@code LineJob}
 * over its slice's lines ({@link SliceRows}) and emits (id and position, row) pairs plus its partial
 * aggregates. The pairs are range-partitioned by sampled bounds ({@link KeySampler}, {@link RowRanges})
 * and sorted within each partition ({@link RowKeyOrder}); each writer writes one part file and merges
 * the partial aggregates it was sent ({@link PartWriter}); the driver merges those, writes the summary
 * and commits the output ({@link OutputCommit}). The input is read and parsed once.
 */
public final class SparkStatsJob {
    private static final int TREE_FAN_IN = 8;

    private SparkStatsJob() {
    }

    /** What a run made. */
    public record Result(String outDir, int partitions, long rows, Counters counters) {
    }

    /** With spark-submit, or bin/tally-spark-local (local mode). */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        // Only a failure exits here: on YARN, a driver that calls System.exit(0) can race the
        // application master's own shutdown; returning from main is the ordinary success.
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The spark-submit or local settings, plus Kryo for the shuffle's keys unless the caller chose a serializer. */
    public static SparkConf conf() {
        return new SparkConf()
                .setAppName("tally-stats")
                .setIfMissing("spark.serializer", KryoSerializer.class.getName())
                .registerKryoClasses(new Class<?>[] {RowKey.class, byte[].class});
    }

    /** Parses {@code args} and runs the job in a context of its own; returns the exit code (2: usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        JobOptions options;
        try {
            options = JobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("tally-spark: " + e.getMessage());
            err.print(JobOptions.USAGE);
            return 2;
        }
        if (options == null) {
            out.print(JobOptions.USAGE);
            return 0;
        }
        try (JavaSparkContext sc = new JavaSparkContext(conf())) {
            Result result = run(sc, options);
            Counters c = result.counters();
            out.printf("tally-spark: %d lines, %d rows, %d without tags, %d skipped, %d bytes -> %s (%d parts)%n",
                    c.lines(), c.kept(), c.noTags(), c.skipped(), c.bytes(), result.outDir(), result.partitions());
            return 0;
        } catch (Exception e) { // SparkException is checked but undeclared: the entry point reports them all
            err.println("tally-spark: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    /**
     * Levels of the merge of the writers' reports: about eight reports per merge, so the driver gets
     * a few, not one per partition. Each can hold up to a million term counts (tens of MB), and the
     * driver takes at most {@code spark.driver.maxResultSize} (1 GiB by default) of results.
     */
    static int treeDepth(int partitions) {
        return (int) Math.max(2, Math.ceil(Math.log(partitions) / Math.log(TREE_FAN_IN)));
    }

    /** Runs the job in {@code sc}: what main and the tests call. */
    public static Result run(JavaSparkContext sc, JobOptions options) throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        OutputCommit commit = OutputCommit.begin(options.outDir(), options.overwrite(),
                sc.sc().applicationId() + "-" + UUID.randomUUID(), hadoop);
        boolean committed = false;
        try {
            List<InputSlice> slices = InputPlan.slices(options.input(), options.splitBytes(), hadoop);
            int partitions = options.partitions() > 0 ? options.partitions() : slices.size();
            Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(hadoop));
            int maxLineBytes = options.maxLineBytes();
            RowKey[] bounds = KeySampler.bounds(sc, slices, partitions, conf, maxLineBytes);
            String attempts = commit.attempts().toString();
            WrittenParts written = sc.parallelize(slices, slices.size())
                    .mapPartitionsToPair(s -> SliceRows.of(s, conf.value().value(), JobOptions.config(maxLineBytes)))
                    .repartitionAndSortWithinPartitions(new RowRanges(partitions, bounds), new RowKeyOrder())
                    .mapPartitionsWithIndex((p, pairs) -> PartWriter.write(p, pairs, attempts, conf.value().value(),
                            JobOptions.config(maxLineBytes)), false)
                    .treeReduce(WrittenParts::merge, treeDepth(partitions));
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            SummaryJson.write(written.result().summary(), json);
            commit.commit(written, partitions, json.toByteArray());
            committed = true;
            return new Result(commit.out().toString(), partitions, written.rows(),
                    written.result().summary().counters());
        } finally {
            // Also for a failed Spark job, whose SparkException is checked but undeclared.
            if (!committed) {
                commit.abort();
            }
        }
    }
}
