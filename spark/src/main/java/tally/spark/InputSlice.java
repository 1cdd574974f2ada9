package tally.spark;

import java.io.Serializable;

/**
 * A byte range of one input file, read by one task: the lines that start in {@code [start, start +
 * length)}, the last of them read past the end if it goes on (the rule of Hadoop's line reader). A
 * compressed file is one slice, read whole.
 *
 * <p>A class, not a record: Spark ships the slices with Kryo, whose version in Spark 3.5 (4.0) cannot
 * build a record.
 */
public final class InputSlice implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final int file;
    private final String path;
    private final long start;
    private final long length;
    private final boolean gzip;

    /**
     * @param index the slice's number in the plan: marks its partial aggregates in the shuffle
     * @param file the file's number in the plan's sorted list: with the line's offset, the tie-break
     *     that keeps rows with equal ids in input order
     * @param gzip whether the file is named {@code .gz}, so not cut: this slice is the whole file.
     *     Whether it is read through gzip is up to its magic bytes, as in {@code tally stats}, in
     *     any file
     */
    public InputSlice(int index, int file, String path, long start, long length, boolean gzip) {
        this.index = index;
        this.file = file;
        this.path = path;
        this.start = start;
        this.length = length;
        this.gzip = gzip;
    }

    public int index() {
        return index;
    }

    public int file() {
        return file;
    }

    public String path() {
        return path;
    }

    public long start() {
        return start;
    }

    public long length() {
        return length;
    }

    public boolean gzip() {
        return gzip;
    }

    public long end() {
        return start + length;
    }

    /** The same file's bytes {@code [start, start + length)}, for sampling a window of this slice. */
    InputSlice window(long windowStart, long windowLength) {
        return new InputSlice(index, file, path, windowStart, windowLength, gzip);
    }

    @Override
    public String toString() {
        return path + " [" + start + ", " + end() + ")";
    }
}
