package tally.job;

/**
 * Limits of the job.
 *
 * @param maxLineBytes a longer line (LF and a dropped CR not counted) is {@code skipped: too_long}
 *     (docs/stats-contract.md, "Input"); the job never buffers more than this (and a CR) for one line
 * @param sortMemoryBytes rows held in memory before a sorted run is spilled to disk
 * @param maxExactTerms distinct terms counted exactly; beyond, the top terms become approximate
 * @param threads threads that parse blocks of lines; 1 parses on the thread that calls
 *     {@link TagStatsJob#accept}
 */
public record JobConfig(int maxLineBytes, long sortMemoryBytes, int maxExactTerms, int threads) {

    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
    public static final long DEFAULT_SORT_MEMORY_BYTES = 64L * 1024 * 1024;
    /** Estimated at about 40 MB of counters at worst (keys, hash table and counts). */
    public static final int DEFAULT_MAX_EXACT_TERMS = 1_000_000;
    /** Parsing splits across cores; capped at 4 because merging stays on one thread (measured on 2 cores only). */
    public static final int DEFAULT_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    public JobConfig {
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        if (sortMemoryBytes < 1) {
            throw new IllegalArgumentException("sortMemoryBytes must be positive: " + sortMemoryBytes);
        }
        if (maxExactTerms < 2) {
            throw new IllegalArgumentException("maxExactTerms must be at least 2: " + maxExactTerms);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
    }

    public JobConfig(int maxLineBytes, long sortMemoryBytes, int maxExactTerms) {
        this(maxLineBytes, sortMemoryBytes, maxExactTerms, DEFAULT_THREADS);
    }

    public JobConfig(int maxLineBytes, long sortMemoryBytes) {
        this(maxLineBytes, sortMemoryBytes, DEFAULT_MAX_EXACT_TERMS);
    }

    public static JobConfig defaults() {
        return new JobConfig(DEFAULT_MAX_LINE_BYTES, DEFAULT_SORT_MEMORY_BYTES);
    }

    public JobConfig withMaxLineBytes(int bytes) {
        return new JobConfig(bytes, sortMemoryBytes, maxExactTerms, threads);
    }

    public JobConfig withThreads(int count) {
        return new JobConfig(maxLineBytes, sortMemoryBytes, maxExactTerms, count);
    }
}
