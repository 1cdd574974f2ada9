package tally.spark;

import java.util.ArrayList;
import java.util.List;
import tally.job.JobConfig;

/**
 * The job's arguments: {@code INPUT OUTDIR [--partitions N] [--split-bytes N] [--max-line-bytes N]
 * [--overwrite]}.
 *
 * @param partitions part files (and sort tasks); 0 makes one per input slice
 * @param splitBytes the most bytes of an uncompressed file one task reads (a gzip file is read whole)
 */
public record JobOptions(String input, String outDir, int partitions, long splitBytes, int maxLineBytes,
        boolean overwrite) {

    /** Hadoop's block size on EMR and HDFS: a slice per block. */
    public static final long DEFAULT_SPLIT_BYTES = 128L << 20;

    /** JobConfig's own limit: a line buffer of this size, plus a CR, still fits an array. */
    private static final int MAX_LINE_BYTES_LIMIT = Integer.MAX_VALUE - 16;

    static final String USAGE = """
            usage: tally.spark.SparkStatsJob INPUT OUTDIR [--partitions N] [--split-bytes N] [--max-line-bytes N] [--overwrite]
              INPUT             a JSON-lines file, a directory of them or a glob (any Hadoop path: file:, hdfs:, s3:);
                                gzip is read whole, detected by name (.gz) or magic bytes
              OUTDIR            gets part-00000... (the rows of `tally stats`, in order), summary.json, then _SUCCESS
              --partitions N    part files and sort tasks (default: one per input slice)
              --split-bytes N   the most bytes of an uncompressed file one task reads (default 134217728)
              --max-line-bytes N  longer lines are skipped as too_long (default 16777216)
              --overwrite       replace an existing OUTDIR once the new output is complete (default: refuse)
            """;

    public JobOptions {
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be positive: " + partitions);
        }
        if (splitBytes < 1) {
            throw new IllegalArgumentException("--split-bytes must be positive: " + splitBytes);
        }
        if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_LIMIT) {
            throw new IllegalArgumentException("--max-line-bytes must be within 1.." + MAX_LINE_BYTES_LIMIT + ": "
                    + maxLineBytes);
        }
    }

    public JobOptions(String input, String outDir) {
        this(input, outDir, 0, DEFAULT_SPLIT_BYTES, JobConfig.DEFAULT_MAX_LINE_BYTES, false);
    }

    public JobOptions withPartitions(int n) {
        return new JobOptions(input, outDir, n, splitBytes, maxLineBytes, overwrite);
    }

    public JobOptions withSplitBytes(long n) {
        return new JobOptions(input, outDir, partitions, n, maxLineBytes, overwrite);
    }

    public JobOptions withMaxLineBytes(int n) {
        return new JobOptions(input, outDir, partitions, splitBytes, n, overwrite);
    }

    public JobOptions withOverwrite(boolean replace) {
        return new JobOptions(input, outDir, partitions, splitBytes, maxLineBytes, replace);
    }

    /**
     * The job's configuration on a worker: the defaults, with the run's line cap. (JobConfig is not
     * Serializable: tasks carry the cap and make it.)
     */
    static JobConfig config(int maxLineBytes) {
        return JobConfig.defaults().withMaxLineBytes(maxLineBytes);
    }

    /** Parses the arguments; null for {@code --help}. */
    static JobOptions parse(String... args) {
        List<String> positional = new ArrayList<>();
        JobOptions options = new JobOptions("", "");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--overwrite" -> options = options.withOverwrite(true);
                case "--partitions" -> options = options.withPartitions((int) number(args, ++i, arg));
                case "--split-bytes" -> options = options.withSplitBytes(number(args, ++i, arg));
                case "--max-line-bytes" -> options = options.withMaxLineBytes((int) number(args, ++i, arg));
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    positional.add(arg);
                }
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("expected INPUT and OUTDIR, got " + positional.size() + " arguments");
        }
        return new JobOptions(positional.get(0), positional.get(1), options.partitions, options.splitBytes,
                options.maxLineBytes, options.overwrite);
    }

    private static long number(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        try {
            long n = Long.parseLong(args[i]);
            if (n > Integer.MAX_VALUE && !"--split-bytes".equals(option)) {
                throw new IllegalArgumentException(option + " is too large: " + args[i]);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not " + args[i], e);
        }
    }
}
