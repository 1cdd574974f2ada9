package tally.job;

import java.io.IOException;
import java.util.Arrays;

/**
 * What parsing one block of whole lines gives: its aggregates and its rows in input order. Blocks
 * are parsed independently (on any thread) and then handed, in input order, to the sorter and the
 * totals, so equal ids keep their input order whatever the threads did.
 */
final class BlockResult {
    final Aggregates aggregates;
    /** The input block of the last parse, returned to the job for reuse once merged. */
    byte[] input;
    private final ByteSink rows = new ByteSink(1 << 12);
    private final ByteSink keys = new ByteSink(64);
    /** Per row: row offset, row length, key offset in {@code keys} (-1: the row's first bytes), key length. */
    private int[] index = new int[4 * 64];
    private int count;

    /**
     * Empty; {@link #parse} fills it. One result serves block after block (the job pools them):
     * grown afresh for each 4 MiB block, its buffers were a third of all a {@code stats} run
     * allocated.
     */
    BlockResult(int maxExactTerms) {
        this.aggregates = new Aggregates(maxExactTerms);
    }

    /**
     * Forgets the previous block and parses the lines of {@code b[from, to)}; a last line without LF
     * counts too (docs/stats-contract.md, "Input").
     */
    BlockResult parse(LineParser parser, byte[] b, int from, int to, int maxLineBytes) {
        aggregates.clear();
        rows.clear();
        keys.clear();
        count = 0;
        input = b;
        int p = from;
        while (p < to) {
            Outcome outcome = parser.parse(b, p, to);
            int stop = parser.lineEnd;
            line(parser, outcome, b, p, stop, maxLineBytes);
            p = stop + 1;
        }
        return this;
    }

    /** The line {@code b[start, end)} (without its LF) was parsed with {@code outcome}. */
    private void line(LineParser parser, Outcome outcome, byte[] b, int start, int end, int maxLineBytes) {
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        if (end - start > maxLineBytes) {
            aggregates.count(Outcome.TOO_LONG);
            return;
        }
        if (outcome != Outcome.KEPT) {
            aggregates.count(outcome);
            return;
        }
        aggregates.keep(parser);
        ByteSink row = parser.row;
        if (4 * count + 4 > index.length) {
            index = Arrays.copyOf(index, index.length * 2);
        }
        int i = 4 * count++;
        index[i] = rows.len;
        index[i + 1] = row.len;
        int keyLen = parser.keyLen();
        byte[] key = parser.keyBuf();
        int keyOff = parser.keyOff();
        if (keyLen <= row.len && Arrays.equals(key, keyOff, keyOff + keyLen, row.buf, 0, keyLen)) {
            index[i + 2] = -1;
        } else {
            index[i + 2] = keys.len;
            keys.put(key, keyOff, keyLen);
        }
        index[i + 3] = keyLen;
        rows.put(row.buf, 0, row.len);
    }

    /** Hands the rows, in input order, to the sorter. */
    void drainTo(RowSorter sorter) throws IOException {
        byte[] r = rows.buf;
        for (int i = 0; i < 4 * count; i += 4) {
            if (index[i + 2] < 0) {
                sorter.add(r, index[i], index[i + 3], r, index[i], index[i + 1]);
            } else {
                sorter.add(keys.buf, index[i + 2], index[i + 3], r, index[i], index[i + 1]);
            }
        }
    }
}
