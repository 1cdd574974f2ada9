package tally.spark;

import java.io.Serializable;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the writers report to the driver: each partition's part file (where the attempt that
 * counted wrote it), the rows written, and the merged partial results.
 */
final class WrittenParts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final SortedMap<Integer, String> files = new TreeMap<>();
    private final PartialResult result;
    private long rows;

    WrittenParts(int partition, String file, long rows, PartialResult result) {
        files.put(partition, file);
        this.rows = rows;
        this.result = result;
    }

    /** Adds {@code other}'s parts to these, and returns these. */
    WrittenParts merge(WrittenParts other) {
        files.putAll(other.files);
        rows += other.rows;
        result.merge(other.result);
        return this;
    }

    SortedMap<Integer, String> files() {
        return files;
    }

    long rows() {
        return rows;
    }

    PartialResult result() {
        return result;
    }
}
