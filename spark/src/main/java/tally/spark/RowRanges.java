package tally.spark;

import org.apache.spark.Partitioner;

/**
 * Range partitioning of the rows by sampled bounds ({@link KeySampler}): partition {@code i} takes
 * the keys above bound {@code i - 1} up to bound {@code i}, so part files in name order hold the rows
 * in order. Partitions past the last bound stay empty (few rows, or fewer distinct samples than
 * partitions). A marker goes to its slice number modulo the partitions.
 */
public final class RowRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private static final RowKeyOrder ORDER = new RowKeyOrder();

    private final int partitions;
    private final RowKey[] bounds;

    /** {@code bounds}: strictly increasing, fewer than {@code partitions}. */
    public RowRanges(int partitions, RowKey[] bounds) {
        if (partitions < 1 || bounds.length >= partitions) {
            throw new IllegalArgumentException(bounds.length + " bounds for " + partitions + " partitions");
        }
        this.partitions = partitions;
        this.bounds = bounds.clone();
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        RowKey k = (RowKey) key;
        if (k.isMarker()) {
            return k.file % partitions;
        }
        // The first bound at or above the key.
        int lo = 0;
        int hi = bounds.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ORDER.compare(bounds[mid], k) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowRanges r && r.partitions == partitions && java.util.Arrays.equals(r.bounds, bounds);
    }

    @Override
    public int hashCode() {
        return 31 * partitions + bounds.length;
    }
}
