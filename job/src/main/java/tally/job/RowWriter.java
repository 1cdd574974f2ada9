package tally.job;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * docs/stats-contract.md, "The row": writes the row of the line a {@link LineParser} just kept, reusing one buffer.
 * Not thread-safe: one per parser.
 */
final class RowWriter {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long BELOW_SHIFT_OUT = 0x0E0E0E0E0E0E0E0EL;
    /** id, weekday, month, year, hour, minute and second. */
    private static final int TEXT_COLUMNS = 7;
    /** num_tags, sum_tag_len and f0..f9: the integer columns (avg_tag_len is written between). */
    private static final int NUMBER_COLUMNS = 12;
    private static final int AVG_CACHE_TAGS = 64;
    private static final int AVG_CACHE_SUMS = 9 * AVG_CACHE_TAGS + 1;

    /** The last row written. */
    final ByteSink row = new ByteSink(512);
    private final byte[][] avgCache = new byte[AVG_CACHE_TAGS * AVG_CACHE_SUMS][];
    /** Where the row's text columns start and end, in the id's buffer (column 0) or updated's. */
    private final int[] textFrom = new int[TEXT_COLUMNS];
    private final int[] textTo = new int[TEXT_COLUMNS];

    /**
     * Builds the row. Its size is bounded up front (text at most doubled by escapes, twelve integers,
     * the average), so the row buffer grows once and every byte is then stored straight into the
     * array: with a bounds-checked put per byte C2 inlined a growth path at each of them, and this
     * method's compilation took 0.33 s of a 206 MB `stats` run (JFR jdk.Compilation).
     */
    void write(LineParser line) {
        int numTags = line.numTags;
        int sumTagLen = line.sumTagLen;
        byte[] average = average(line);
        ByteSink r = row;
        r.clear();
        r.ensure(2 * (line.keyLen() + line.updatedLen()) + TEXT_COLUMNS + NUMBER_COLUMNS * 11 + 2 + average.length + 1);
        byte[] key = line.keyBuf();
        byte[] u = line.updatedBuf();
        int[] histogram = line.histogram;
        int[] from = textFrom;
        int[] to = textTo;
        from[0] = line.keyOff();
        to[0] = line.keyOff() + line.keyLen();
        from[1] = line.weekdayStart();
        to[1] = line.weekdayEnd();
        from[2] = line.monthStart();
        to[2] = line.monthEnd();
        from[3] = line.yearStart();
        to[3] = line.yearEnd();
        from[4] = line.hourStart();
        to[4] = line.hourEnd();
        from[5] = line.minuteStart();
        to[5] = line.minuteEnd();
        from[6] = line.secondStart();
        to[6] = line.secondEnd();
        byte[] o = r.buf;
        int n = 0;
        // One loop per kind of column, one call site each: every call site is another inlined copy.
        for (int c = 0; c < TEXT_COLUMNS; c++) {
            n = putText(o, n, c == 0 ? key : u, from[c], to[c]);
            o[n++] = '\t';
        }
        for (int c = 0; c < NUMBER_COLUMNS; c++) {
            if (c == 2) {
                System.arraycopy(average, 0, o, n, average.length); // avg_tag_len, between sum_tag_len and f0
                n += average.length;
                o[n++] = '\t';
            }
            n = putDecimal(o, n, c == 0 ? numTags : c == 1 ? sumTagLen : histogram[c - 2]);
            if (c == 1) {
                o[n++] = '.'; // sum_tag_len is printed as a float; it is a whole number
                o[n++] = '0';
            }
            o[n++] = c == NUMBER_COLUMNS - 1 ? (byte) '\n' : (byte) '\t';
        }
        r.len = n;
    }

    /** avg_tag_len as the row prints it; the few values small rows give are formatted once. */
    private byte[] average(LineParser line) {
        if (line.numTags >= AVG_CACHE_TAGS) {
            return PythonFloat.format(line.avgTagLen()).getBytes(US_ASCII);
        }
        int slot = line.numTags * AVG_CACHE_SUMS + line.sumTagLen;
        byte[] text = avgCache[slot];
        if (text == null) {
            text = avgCache[slot] = PythonFloat.format(line.avgTagLen()).getBytes(US_ASCII);
        }
        return text;
    }

    /** Writes a non-negative int in decimal at {@code o[n]}; returns the index after it. */
    private static int putDecimal(byte[] o, int n, int v) {
        if (v < 10) {
            o[n] = (byte) ('0' + v);
            return n + 1;
        }
        int digits = 1;
        for (int x = v / 10; x > 0; x /= 10) {
            digits++;
        }
        for (int i = n + digits - 1; i >= n; i--) {
            o[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return n + digits;
    }

    /**
     * docs/stats-contract.md, "The row": TAB, LF, CR and backslash get a backslash before them; NUL is dropped. Writes
     * {@code src[from, to)} at {@code o[n]} (room for twice as many bytes); returns the index after it.
     */
    private static int putText(byte[] o, int n, byte[] src, int from, int to) {
        int i = from;
        // Eight bytes at a time while none needs a backslash or dropping, as in nearly every id (a URL).
        while (i + 8 <= to) {
            long w = (long) LONGS.get(src, i);
            long backslash = w ^ BACKSLASHES;
            // Flags a byte below 0x0E (NUL, TAB, LF and CR among them) or a backslash; any flag, even
            // a false alarm above a true one, sends the rest to the byte loop, which decides.
            long special = ((w - BELOW_SHIFT_OUT) & ~w | (backslash - ONES) & ~backslash) & HIGHS;
            if (special != 0) {
                break;
            }
            LONGS.set(o, n, w);
            i += 8;
            n += 8;
        }
        for (; i < to; i++) {
            byte c = src[i];
            if (c == '\t' || c == '\n' || c == '\r' || c == '\\') {
                o[n++] = '\\';
            } else if (c == 0) {
                continue;
            }
            o[n++] = c;
        }
        return n;
    }
}
