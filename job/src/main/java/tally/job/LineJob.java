package tally.job;

/**
 * The job one line at a time, for a caller that cuts its input into lines itself: a Spark task in
 * {@code mapPartitions}, a loader, a test. {@link TagStatsJob} runs the same code over a whole
 * stream, with threads, blocks and a sorter of its own.
 *
 * <p>Give each line to {@link #accept}; it returns what became of the line and counts it in
 * {@link #aggregates()}. When the line is {@link Outcome#KEPT kept}, its row (with its LF) and its
 * sort key are readable until the next call. The single-machine job writes the rows sorted by
 * {@link RowOrder}: a caller that sorts elsewhere keeps each line's position in the input to
 * reproduce the order of equal keys.
 *
 * <p>Aggregates of different instances {@link Aggregates#merge merge} into exactly what one
 * instance over all the lines would hold, in any grouping.
 *
 * <p>Not thread-safe: one instance per thread. Nothing is allocated per line once its buffers have
 * grown to the longest line seen.
 */
public final class LineJob {
    private final LineParser parser = new LineParser();
    private final Aggregates aggregates;
    private final int maxLineBytes;
    private boolean kept;

    public LineJob(JobConfig config) {
        this.aggregates = new Aggregates(config.maxExactTerms());
        this.maxLineBytes = config.maxLineBytes();
    }

    /**
     * Runs the rules on the line {@code b[start, end)}, without its LF (a CR before the LF may stay:
     * it is dropped as the spec's input rules say), and counts it.
     *
     * @throws IllegalArgumentException if the range holds an LF: a line ends at its first one
     */
    public Outcome accept(byte[] b, int start, int end) {
        java.util.Objects.checkFromToIndex(start, end, b.length);
        kept = false;
        int stop = end > start && b[end - 1] == '\r' ? end - 1 : end;
        if (stop - start > maxLineBytes) {
            aggregates.count(Outcome.TOO_LONG);
            return Outcome.TOO_LONG;
        }
        Outcome outcome = parser.parse(b, start, end);
        if (parser.lineEnd != end) {
            throw new IllegalArgumentException("the line holds an LF at index " + parser.lineEnd
                    + ": pass one line at a time, without its LF");
        }
        if (outcome == Outcome.KEPT) {
            aggregates.keep(parser);
            kept = true;
        } else {
            aggregates.count(outcome);
        }
        return outcome;
    }

    /** The buffer holding the last kept line's row, LF included, from index 0 to {@link #rowLength()}. */
    public byte[] rowBuffer() {
        requireKept();
        return parser.row.buf;
    }

    public int rowLength() {
        requireKept();
        return parser.row.len;
    }

    /** A copy of the last kept line's row, LF included. */
    public byte[] row() {
        return java.util.Arrays.copyOf(rowBuffer(), rowLength());
    }

    /**
     * A copy of the last kept line's sort key: the id's UTF-8 bytes, which {@link RowOrder} compares
     * unsigned. (The row's first column is the id escaped, which can order differently.)
     */
    public byte[] key() {
        requireKept();
        int off = parser.keyOff();
        return java.util.Arrays.copyOfRange(parser.keyBuf(), off, off + parser.keyLen());
    }

    /** Everything counted so far; merge it with other instances' to combine partial results. */
    public Aggregates aggregates() {
        return aggregates;
    }

    private void requireKept() {
        if (!kept) {
            throw new IllegalStateException("the last line was not kept: it has no row");
        }
    }
}
