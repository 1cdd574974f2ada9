package tally.spark;

import java.io.Serializable;
import java.util.Comparator;
import tally.job.RowOrder;

/**
 * The rows' order ({@link RowOrder}: id bytes unsigned, then position), with markers first. Spark's
 * sort is not stable, so equal ids are told apart by position, never left to it.
 */
public final class RowKeyOrder implements Comparator<RowKey>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(RowKey a, RowKey b) {
        if (a.isMarker() || b.isMarker()) {
            if (a.isMarker() && b.isMarker()) {
                return Integer.compare(a.file, b.file);
            }
            return a.isMarker() ? -1 : 1;
        }
        int byKey = RowOrder.compareKeys(a.id, b.id);
        if (byKey != 0) {
            return byKey;
        }
        int byFile = Integer.compare(a.file, b.file);
        return byFile != 0 ? byFile : Long.compare(a.offset, b.offset);
    }
}
