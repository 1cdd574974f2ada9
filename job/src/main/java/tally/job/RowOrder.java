package tally.job;

import java.util.Arrays;

/**
 * The order of the rows: by the id's UTF-8 bytes compared unsigned (a shorter id first when it is
 * a prefix of the other), then by the line's position in the input. The job's own sort is stable,
 * so it never looks at positions; a caller whose sort is not stable (Spark's, say) carries each
 * line's position and compares with {@link #compare(byte[], long, byte[], long)}.
 */
public final class RowOrder {
    private RowOrder() {
    }

    /** Compares two sort keys ({@link LineJob#key()}) alone. */
    public static int compareKeys(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /** Compares two rows by key, then by position in the input. */
    public static int compare(byte[] keyA, long positionA, byte[] keyB, long positionB) {
        int byKey = Arrays.compareUnsigned(keyA, keyB);
        return byKey != 0 ? byKey : Long.compare(positionA, positionB);
    }
}
