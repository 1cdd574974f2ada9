package tally.store;

/**
 * Byte counts of a stored dataset.
 *
 * @param inputBytes the original (decompressed) input
 * @param storedInputBytes the input as stored (LZ4 frames)
 * @param rowsBytes rows.tsv without header
 */
public record DatasetSizes(long inputBytes, long storedInputBytes, long rowsBytes) {
    public static final DatasetSizes NONE = new DatasetSizes(0, 0, 0);
}
