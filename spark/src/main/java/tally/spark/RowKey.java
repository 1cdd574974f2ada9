package tally.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the shuffle sorts by: a row's id (UTF-8 bytes) and its position in the input (file number,
 * offset in the file). With the position in the key, a range partitioner can cut a run of equal ids
 * (a hot id) across partitions and still keep the rows in input order.
 *
 * <p>The key of a slice's partial aggregates is a marker instead ({@link #marker}): no id, sorted
 * before every row, sent to the partition its slice number picks, so the partial aggregates spread
 * over the writers, which merge them.
 */
public final class RowKey implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Null for a marker. */
    final byte[] id;
    /** The file number; for a marker, its slice number. */
    final int file;
    final long offset;

    RowKey(byte[] id, int file, long offset) {
        this.id = id;
        this.file = file;
        this.offset = offset;
    }

    static RowKey marker(int slice) {
        return new RowKey(null, slice, 0);
    }

    boolean isMarker() {
        return id == null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RowKey k && Arrays.equals(k.id, id) && k.file == file && k.offset == offset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id) * 31 + Long.hashCode(offset) * 17 + file;
    }
}
