package tally.job;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sorts rows by key (unsigned bytes), stably, in bounded memory (docs/stats-contract.md, "The row": the order Hadoop's
 * reduce gave). Rows are held in 1 MiB pages (growing one big array would need twice its size while
 * copying); when they would pass the memory budget they are sorted and spilled as a run file, and {@link #writeSorted} merges the runs. Runs hold consecutive rows
 * and a merge prefers the earlier run on equal keys, so equal keys keep their input order.
 */
final class RowSorter implements Closeable {
    /** Bytes of bookkeeping per row: five ints of metadata, two ints of sort index, a long prefix. */
    private static final int ROW_OVERHEAD = 36;
    private static final int MAX_PAGE_BYTES = 1 << 20;
    /** Runs merged at once; more are merged in rounds so open files stay few. */
    private static final int MERGE_FAN_IN = 64;
    private static final int IO_BUFFER = 1 << 16;
    /** Runs this short are sorted by insertion before merging starts. */
    private static final int INSERTION_RUN = 16;
    /** Below this many rows a second thread's start and the final merge are not worth it. */
    private static final int PARALLEL_FROM_ROWS = 1 << 14;
    /**
     * Rows per call in the loops that run once per job, after the input (sorting, merging): under C1
     * alone a long loop runs interpreted for its first 60,000 rounds before it is compiled on the
     * stack, while a method called once per step is compiled after a few hundred calls.
     */
    private static final int STEP = 64;

    private final long memoryBytes;
    private final int pageSize;
    private final Path spillDir;
    /** From this many rows, an in-memory sort and write runs on two threads ({@link HalvesWriter}). */
    private final int parallelFromRows;
    private byte[][] pages = new byte[16][];
    /** Pages in use; the last one is being filled. Pages after them are free for reuse. */
    private int pageCount;
    private int pageLen;
    private long pageBytes;
    /** Per row: page, key offset, key length, row offset, row length (offsets within the page). */
    private int[] meta = new int[5 * 1024];
    private int rows;
    private final List<Path> runs = new ArrayList<>();
    /**
     * How many bytes every key held starts with (all are compared with the first as they come).
     * Ids tend to share a long prefix ({@code http://delicious.com/url/}): comparing the eight bytes
     * that follow it, as one unsigned long, settles most comparisons at once.
     */
    private int commonPrefix;

    RowSorter(long memoryBytes, Path spillDir) {
        this(memoryBytes, spillDir, Runtime.getRuntime().availableProcessors() > 1 ? PARALLEL_FROM_ROWS : Integer.MAX_VALUE);
    }

    RowSorter(long memoryBytes, Path spillDir, int parallelFromRows) {
        this.memoryBytes = memoryBytes;
        this.parallelFromRows = parallelFromRows;
        this.pageSize = (int) Math.min(MAX_PAGE_BYTES, Math.max(1024, memoryBytes / 8));
        this.spillDir = spillDir;
    }

    /** Adds a row; a key that is the row's first bytes (the usual case) is not stored twice. */
    void add(byte[] key, int keyOff, int keyLen, byte[] row, int rowOff, int rowLen) throws IOException {
        boolean keyIsPrefix = key == row && keyOff == rowOff;
        int need = rowLen + (keyIsPrefix ? 0 : keyLen);
        if (rows > 0 && pageBytes + need + (long) (rows + 1) * ROW_OVERHEAD > memoryBytes) {
            spill();
        }
        if (rows == 0) {
            commonPrefix = keyLen;
        } else if (commonPrefix > 0) {
            int mismatch = Arrays.mismatch(pages[meta[0]], meta[1], meta[1] + commonPrefix,
                    key, keyOff, keyOff + Math.min(commonPrefix, keyLen));
            if (mismatch >= 0) {
                commonPrefix = mismatch;
            }
        }
        byte[] page = pageFor(need);
        if (5 * rows + 5 > meta.length) {
            meta = Arrays.copyOf(meta, meta.length * 2);
        }
        int m = 5 * rows;
        meta[m] = pageCount - 1;
        meta[m + 3] = pageLen;
        meta[m + 4] = rowLen;
        System.arraycopy(row, rowOff, page, pageLen, rowLen);
        pageLen += rowLen;
        if (keyIsPrefix) {
            meta[m + 1] = meta[m + 3];
        } else {
            meta[m + 1] = pageLen;
            System.arraycopy(key, keyOff, page, pageLen, keyLen);
            pageLen += keyLen;
        }
        meta[m + 2] = keyLen;
        rows++;
    }

    /** The page to write {@code need} bytes to: the current one, a free standard one, or one of its own. */
    private byte[] pageFor(int need) {
        if (pageCount > 0 && pageLen + need <= pages[pageCount - 1].length) {
            return pages[pageCount - 1];
        }
        if (pageCount == pages.length) {
            pages = Arrays.copyOf(pages, pageCount * 2);
        }
        byte[] page = pages[pageCount];
        if (page == null || page.length < need) {
            page = new byte[Math.max(need, pageSize)];
            pages[pageCount] = page;
        }
        pageCount++;
        pageLen = 0;
        pageBytes += page.length;
        return page;
    }

    int spilledRuns() {
        return runs.size();
    }

    /** Writes every row's bytes in key order. */
    void writeSorted(OutputStream out) throws IOException {
        if (runs.isEmpty()) {
            if (rows >= parallelFromRows && pageBytes + (long) rows * ROW_OVERHEAD + pageBytes / 2 <= memoryBytes) {
                new HalvesWriter().write(out);
            } else {
                Order order = new Order(rows);
                order.sort(0, rows);
                BufferedRows all = new BufferedRows(out);
                mergeInto(order, 0, rows, rows, rows, all);
                all.flush();
            }
            out.flush();
            return;
        }
        if (rows > 0) {
            spill();
        }
        pages = new byte[1][];
        pageCount = 0;
        pageBytes = 0;
        meta = new int[0];
        List<Path> pending = new ArrayList<>(runs);
        while (pending.size() > MERGE_FAN_IN) {
            List<Path> next = new ArrayList<>();
            for (int i = 0; i < pending.size(); i += MERGE_FAN_IN) {
                List<Path> group = pending.subList(i, Math.min(pending.size(), i + MERGE_FAN_IN));
                Path merged = newRun();
                try (DataOutputStream run = runWriter(merged)) {
                    merge(group, run, true);
                }
                next.add(merged);
            }
            pending = next;
        }
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 20);
        merge(pending, new DataOutputStream(buffered), false);
        buffered.flush();
    }

    @Override
    public void close() {
        for (Path run : runs) {
            try {
                Files.deleteIfExists(run);
            } catch (IOException e) {
                // Best effort: the spill directory belongs to the caller, who removes it too.
            }
        }
        runs.clear();
    }

    private void spill() throws IOException {
        int[] order = sortedOrder();
        Path run = newRun();
        try (DataOutputStream out = runWriter(run)) {
            for (int i : order) {
                int m = 5 * i;
                byte[] page = pages[meta[m]];
                out.writeInt(meta[m + 2]);
                out.write(page, meta[m + 1], meta[m + 2]);
                out.writeInt(meta[m + 4]);
                out.write(page, meta[m + 3], meta[m + 4]);
            }
        }
        rows = 0;
        // Keep the standard pages for the next run; drop the oversized ones.
        for (int p = 0; p < pageCount; p++) {
            if (pages[p].length != pageSize) {
                pages[p] = null;
            }
        }
        int kept = 0;
        for (int p = 0; p < pages.length; p++) {
            if (pages[p] != null) {
                pages[kept++] = pages[p];
            }
        }
        Arrays.fill(pages, kept, pages.length, null);
        pageCount = 0;
        pageLen = 0;
        pageBytes = 0;
    }

    private Path newRun() throws IOException {
        Path run = Files.createTempFile(spillDir, "rows-", ".run");
        runs.add(run);
        return run;
    }

    private static DataOutputStream runWriter(Path run) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), IO_BUFFER));
    }

    /** Merges runs given in input order; with {@code asRun} the output is a run again, else bare rows. */
    private static void merge(List<Path> group, DataOutputStream out, boolean asRun) throws IOException {
        PriorityQueue<RunReader> heads = new PriorityQueue<>(RunReader.BY_HEAD);
        List<RunReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < group.size(); i++) {
                RunReader reader = new RunReader(group.get(i), i);
                open.add(reader);
                if (reader.next()) {
                    heads.add(reader);
                }
            }
            while (!heads.isEmpty()) {
                RunReader head = heads.poll();
                if (asRun) {
                    out.writeInt(head.keyLen);
                    out.write(head.key, 0, head.keyLen);
                    out.writeInt(head.rowLen);
                }
                out.write(head.row, 0, head.rowLen);
                if (head.next()) {
                    heads.add(head);
                }
            }
        } finally {
            for (RunReader reader : open) {
                reader.in.close();
            }
        }
        out.flush();
    }

    private int[] sortedOrder() {
        Order order = new Order(rows);
        order.sort(0, rows);
        return order.row;
    }

    /**
     * Row indices being sorted, each with its key's eight bytes after {@link #commonPrefix} (zero
     * padded) as an unsigned long beside it: the sort and the merges read both in sequence, where
     * looking the prefix up by row index missed the cache on almost every comparison.
     */
    private final class Order {
        final int[] row;
        final long[] key;
        private final int[] tmpRow;
        private final long[] tmpKey;

        Order(int n) {
            row = new int[n];
            key = new long[n];
            tmpRow = new int[n];
            tmpKey = new long[n];
        }

        /** Sorts rows {@code from..to-1} into positions {@code [from, to)}, stably. */
        void sort(int from, int to) {
            for (int i = from; i < to; i += STEP) {
                fillStep(i, Math.min(i + STEP, to));
            }
            for (int lo = from; lo < to; lo += INSERTION_RUN) {
                insertionSort(lo, Math.min(lo + INSERTION_RUN, to));
            }
            // Bottom-up: loops rather than recursion, because the sort runs once, at the end, usually
            // before the JIT compiled it (C2 compiled a recursive version three times over).
            boolean inTmp = false;
            for (int width = INSERTION_RUN; width < to - from; width *= 2) {
                int[] srcRow = inTmp ? tmpRow : row;
                long[] srcKey = inTmp ? tmpKey : key;
                int[] dstRow = inTmp ? row : tmpRow;
                long[] dstKey = inTmp ? key : tmpKey;
                for (int lo = from; lo < to; lo += 2 * width) {
                    mergeRuns(srcRow, srcKey, dstRow, dstKey, lo, Math.min(lo + width, to), Math.min(lo + 2 * width, to));
                }
                inTmp = !inTmp;
            }
            if (inTmp) {
                System.arraycopy(tmpRow, from, row, from, to - from);
                System.arraycopy(tmpKey, from, key, from, to - from);
            }
        }

        private void fillStep(int from, int to) {
            int common = commonPrefix;
            for (int i = from; i < to; i++) {
                row[i] = i;
                byte[] page = pages[meta[5 * i]];
                int off = meta[5 * i + 1] + common;
                int n = Math.min(8, meta[5 * i + 2] - common);
                long prefix = 0;
                for (int k = 0; k < 8; k++) {
                    prefix = prefix << 8 | (k < n ? page[off + k] & 0xFF : 0);
                }
                key[i] = prefix;
            }
        }

        private void insertionSort(int lo, int hi) {
            for (int i = lo + 1; i < hi; i++) {
                int x = row[i];
                long kx = key[i];
                int j = i - 1;
                while (j >= lo && compare(key[j], row[j], kx, x) > 0) {
                    row[j + 1] = row[j];
                    key[j + 1] = key[j];
                    j--;
                }
                row[j + 1] = x;
                key[j + 1] = kx;
            }
        }

        /** Merges the sorted runs {@code [lo, mid)} and {@code [mid, hi)} of src into dst. */
        private void mergeRuns(int[] srcRow, long[] srcKey, int[] dstRow, long[] dstKey, int lo, int mid, int hi) {
            int i = lo;
            int j = mid;
            for (int k = lo; k < hi; k++) {
                // <= keeps the left run's row first on equal keys: the sort is stable.
                boolean left = j >= hi || (i < mid && compare(srcKey[i], srcRow[i], srcKey[j], srcRow[j]) <= 0);
                int from = left ? i++ : j++;
                dstRow[k] = srcRow[from];
                dstKey[k] = srcKey[from];
            }
        }

        /** Whether the row at position {@code i} comes after the one at {@code j}: by key, then input order. */
        int compareAt(int i, int j) {
            return compare(key[i], row[i], key[j], row[j]);
        }
    }

    /**
     * Merges the sorted index ranges {@code order[a, aEnd)} and {@code order[b, bEnd)} (the first
     * holding earlier rows, so it wins ties) and hands each row's bytes to {@code sink} in order.
     */
    private void mergeInto(Order order, int a, int aEnd, int b, int bEnd, RowBytes sink) throws IOException {
        int i = a;
        int j = b;
        while (i < aEnd || j < bEnd) {
            long next = mergeStep(order, i, aEnd, j, bEnd, sink);
            i = (int) (next >>> 32);
            j = (int) next;
        }
    }

    /** Up to {@link #STEP} rows of {@link #mergeInto}; returns where both ranges got to, packed in a long. */
    private long mergeStep(Order order, int a, int aEnd, int b, int bEnd, RowBytes sink) throws IOException {
        int[] sorted = order.row;
        int i = a;
        int j = b;
        for (int n = 0; n < STEP && (i < aEnd || j < bEnd); n++) {
            int r = j >= bEnd || (i < aEnd && order.compareAt(i, j) <= 0) ? sorted[i++] : sorted[j++];
            sink.put(pages[meta[5 * r]], meta[5 * r + 3], meta[5 * r + 4]);
        }
        return (long) i << 32 | j;
    }

    /**
     * How many of the first {@code k} rows of the stable merge of the sorted ranges {@code order[a,
     * a + aLen)} and {@code order[b, b + bLen)} come from the first: a binary search over the merge
     * path, so that two threads can each write one part of the merge.
     */
    private int mergeSplit(Order order, int a, int aLen, int b, int bLen, int k) {
        int lo = Math.max(0, k - bLen);
        int hi = Math.min(k, aLen);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // Does the first range's row at mid come before the second's row at k - mid - 1?
            if (order.compareAt(a + mid, b + k - mid - 1) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Rows x and y by key, given their key prefixes kx and ky (see {@link Order}). */
    private int compare(long kx, int x, long ky, int y) {
        int c = Long.compareUnsigned(kx, ky);
        if (c != 0) {
            return c;
        }
        // Equal so far: the keys share commonPrefix bytes and up to eight more (zero padding is
        // settled by the lengths in the full comparison).
        int mx = 5 * x;
        int my = 5 * y;
        int skip = commonPrefix;
        return Arrays.compareUnsigned(pages[meta[mx]], meta[mx + 1] + skip, meta[mx + 1] + meta[mx + 2],
                pages[meta[my]], meta[my + 1] + skip, meta[my + 1] + meta[my + 2]);
    }

    /**
     * The in-memory sort and write on two threads (the contract's order unchanged): each thread sorts half of
     * the rows; then one writes the first half of the merged order to the output while the other
     * copies the second half into memory, written right after. Nothing else overlaps the time between
     * the end of the input and the last row written, so one thread left a core idle: on the 206 MB
     * benchmark file the tail took 0.16-0.19 s against 0.17-0.27 s (4 alternating runs; with the
     * prefixes kept beside the indices, see {@link Order}, sorting took 35-55 ms and merging 28-49 ms
     * where they had taken 44-73 and 54-74 ms). The cost: the second half's bytes once more in memory,
     * which is why it is done only when that fits the budget.
     */
    private final class HalvesWriter {
        private final Order order = new Order(rows);
        private final int half = rows / 2;

        void write(OutputStream out) throws IOException {
            // Anonymous classes rather than lambdas: a lambda's first call spins a class at run time,
            // milliseconds each while the JIT is busy, and these run once per job.
            inParallel(new Part() {
                @Override
                void work() {
                    order.sort(half, rows);
                }
            }, new Part() {
                @Override
                void work() {
                    order.sort(0, half);
                }
            });
            int k = rows / 2;
            int fromLower = mergeSplit(order, 0, half, half, rows - half, k);
            int fromUpper = k - fromLower;
            ChunkedRows upper = new ChunkedRows();
            inParallel(new Part() {
                @Override
                void work() throws IOException {
                    mergeInto(order, fromLower, half, half + fromUpper, rows, upper);
                }
            }, new Part() {
                @Override
                void work() throws IOException {
                    BufferedRows lower = new BufferedRows(out);
                    mergeInto(order, 0, fromLower, half, half + fromUpper, lower);
                    lower.flush();
                }
            });
            upper.writeTo(out);
        }
    }

    /** Runs {@code other} on a new thread and {@code own} on this one; returns once both are done. */
    private static void inParallel(Part other, Part own) throws IOException {
        Thread thread = new Thread(other, "tally-rows");
        thread.setDaemon(true);
        thread.start();
        own.run();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sorting rows");
        }
        own.rethrow();
        other.rethrow();
    }

    /** One thread's share of {@link HalvesWriter}'s work, and what it threw. */
    private abstract static class Part implements Runnable {
        private Throwable failure;

        abstract void work() throws IOException;

        @Override
        public final void run() {
            try {
                work();
            } catch (IOException | RuntimeException | Error e) {
                failure = e;
            }
        }

        void rethrow() throws IOException {
            Failures.rethrow(failure);
        }
    }

    /** Where {@link #mergeInto} puts each row's bytes. */
    @FunctionalInterface
    private interface RowBytes {
        void put(byte[] b, int off, int len) throws IOException;
    }

    /** Rows gathered into 1 MiB writes: one write per row would be a system call per row. */
    private static final class BufferedRows implements RowBytes {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 20];
        private int n;

        BufferedRows(OutputStream out) {
            this.out = out;
        }

        @Override
        public void put(byte[] b, int off, int len) throws IOException {
            if (n + len > buf.length) {
                flush();
            }
            if (len > buf.length) {
                out.write(b, off, len);
            } else {
                System.arraycopy(b, off, buf, n, len);
                n += len;
            }
        }

        void flush() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }
    }

    /** Rows copied into 1 MiB arrays, to be written once the rows before them are. */
    private static final class ChunkedRows implements RowBytes {
        private final List<byte[]> full = new ArrayList<>();
        private byte[] chunk = new byte[1 << 20];
        private int n;

        @Override
        public void put(byte[] b, int off, int len) {
            int p = off;
            int left = len;
            while (left > 0) {
                if (n == chunk.length) {
                    full.add(chunk);
                    chunk = new byte[chunk.length];
                    n = 0;
                }
                int k = Math.min(left, chunk.length - n);
                System.arraycopy(b, p, chunk, n, k);
                n += k;
                p += k;
                left -= k;
            }
        }

        void writeTo(OutputStream out) throws IOException {
            for (byte[] c : full) {
                out.write(c);
            }
            out.write(chunk, 0, n);
        }
    }

    /**
     * The head of one run during a merge; ties go to the earlier run, which holds earlier rows. The
     * merge order is a {@link Comparator}, not a natural order: readers are mutable and compared by
     * their current row, so an equals() to match it would make no sense.
     */
    private static final class RunReader {
        static final Comparator<RunReader> BY_HEAD = (a, b) -> {
            int c = Arrays.compareUnsigned(a.key, 0, a.keyLen, b.key, 0, b.keyLen);
            return c != 0 ? c : Integer.compare(a.index, b.index);
        };

        final DataInputStream in;
        final int index;
        byte[] key = new byte[256];
        int keyLen;
        byte[] row = new byte[512];
        int rowLen;

        RunReader(Path run, int index) throws IOException {
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), IO_BUFFER));
            this.index = index;
        }

        boolean next() throws IOException {
            try {
                keyLen = in.readInt();
            } catch (EOFException end) {
                return false;
            }
            if (keyLen > key.length) {
                key = new byte[Math.max(keyLen, key.length * 2)];
            }
            in.readFully(key, 0, keyLen);
            rowLen = in.readInt();
            if (rowLen > row.length) {
                row = new byte[Math.max(rowLen, row.length * 2)];
            }
            in.readFully(row, 0, rowLen);
            return true;
        }
    }
}
