package tally.job;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookmark tag-stats job over one dataset, fed its bytes as they arrive (any chunking).
 *
 * <p>Contract used by the service: {@link #accept} is called by one thread at a time, in order
 * (successive calls may come from different threads if each call happens-before the next);
 * {@link #progress} may be called from any thread at any time; {@link #finish} handles a last line
 * without LF, writes the rows sorted by id and returns counters and summary (or, in steps,
 * {@link #endInput}, {@link #writeRows} and {@link #result}); {@link #close} removes any spill files
 * and stops the job's threads.
 *
 * <p>How it runs: input is copied into blocks cut after an LF; each block is parsed on its own
 * (by up to {@link JobConfig#threads()} threads) and the block results are merged in input order,
 * which keeps equal ids in input order. A block is handed over when it is full, or when no block is
 * being parsed and the block is big or old enough, so slow uploads still see their lines counted
 * as they arrive.
 *
 * <p>Memory stays bounded whatever the input: a few blocks in flight; a line longer than the cap is
 * skipped without being stored; rows spill to {@code spillDir} past
 * {@link JobConfig#sortMemoryBytes()}; term counts are bounded by {@link JobConfig#maxExactTerms()}.
 */
public final class TagStatsJob implements Closeable {
    /** The row's columns (docs/stats-contract.md, "The row"), for {@code rows.tsv?header=true}. */
    public static final String HEADER = String.join("\t", "id", "weekday", "month", "year", "hour", "minute",
            "second", "num_tags", "sum_tag_len", "avg_tag_len", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7",
            "f8", "f9") + "\n";

    /** Big enough that handing a block over costs nothing next to parsing it (about 10 ms of work). */
    static final int BLOCK_BYTES = 4 << 20;
    private static final int FIRST_BLOCK_BYTES = 64 << 10;
    /**
     * With other threads parsing, a partial block is handed over early only past this size or
     * after this long: the service feeds 16 KiB chunks, and a block per chunk would cost more in
     * hand-over and merging than it saves, while progress still moves several times a second.
     */
    private static final int EAGER_BLOCK_BYTES = 256 << 10;
    private static final long EAGER_AFTER_NANOS = 50_000_000L;
    private static final AtomicInteger JOB_NUMBERS = new AtomicInteger();

    private final JobConfig config;
    private final int maxLineBytes;
    private final Aggregates totals;
    private final RowSorter sorter;
    private final LineParser callerParser = new LineParser();
    private final ConcurrentLinkedQueue<LineParser> parsers = new ConcurrentLinkedQueue<>();
    /** Results merged and free for another block: at most one per block in flight, plus one. */
    private final ArrayDeque<BlockResult> freeResults = new ArrayDeque<>();
    private final ArrayDeque<Future<BlockResult>> inFlight = new ArrayDeque<>();
    private final ArrayDeque<byte[]> freeBlocks = new ArrayDeque<>();
    private ExecutorService workers;

    private byte[] block = new byte[FIRST_BLOCK_BYTES];
    private int blockLen;
    /** {@code block[0, noLfBefore)} holds no LF: the start of a line that is still arriving. */
    private int noLfBefore;
    /** Inside a line longer than the cap: its bytes are dropped until its LF. */
    private boolean skippingLongLine;
    private long bytes;
    private volatile Progress progress = new Progress(0, 0, 0, 0, 0);
    private boolean finished;
    private long lastSubmitNanos = System.nanoTime();

    public TagStatsJob(JobConfig config, Path spillDir) {
        this.config = config;
        this.maxLineBytes = config.maxLineBytes();
        this.totals = new Aggregates(config.maxExactTerms());
        this.sorter = new RowSorter(config.sortMemoryBytes(), spillDir);
    }

    public void accept(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
            throw new IllegalStateException("no more input: endInput() or finish() was called");
        }
        Objects.checkFromIndexSize(offset, length, bytes.length);
        this.bytes += length;
        int p = offset;
        int end = offset + length;
        while (p < end) {
            if (skippingLongLine) {
                int lf = Lines.indexOfLf(bytes, p, end);
                if (lf < 0) {
                    break;
                }
                totals.count(Outcome.TOO_LONG);
                skippingLongLine = false;
                p = lf + 1;
                continue;
            }
            int n = Math.min(end - p, block.length - blockLen);
            System.arraycopy(bytes, p, block, blockLen, n);
            p += n;
            filled(n);
        }
        handOver();
    }

    /**
     * {@link #accept} of everything {@code in} gives until its end, read straight into the job's
     * blocks rather than through a buffer of the caller's: for {@code stats}, a copy of every input
     * byte fewer on the thread that reads while two others parse.
     */
    public void acceptAll(InputStream in) throws IOException {
        byte[] spare = null;
        while (true) {
            if (skippingLongLine) {
                // Rare: the rest of an over-long line goes through a small buffer until its LF.
                if (spare == null) {
                    spare = new byte[64 << 10];
                }
                int n = in.read(spare);
                if (n < 0) {
                    return;
                }
                accept(spare, 0, n);
                continue;
            }
            if (finished) {
                throw new IllegalStateException("no more input: endInput() or finish() was called");
            }
            int n = in.read(block, blockLen, block.length - blockLen);
            if (n < 0) {
                return;
            }
            this.bytes += n;
            filled(n);
            handOver();
        }
    }

    /** {@code n} more bytes are in the block. */
    private void filled(int n) throws IOException {
        blockLen += n;
        if (blockLen == block.length) {
            cutBlock(true);
        }
    }

    /** After new input: a partial block may go to the parsers; finished ones are merged. */
    private void handOver() throws IOException {
        if (blockLen > noLfBefore && inFlight.isEmpty() && (config.threads() == 1 || blockLen >= EAGER_BLOCK_BYTES
                || System.nanoTime() - lastSubmitNanos >= EAGER_AFTER_NANOS)) {
            cutBlock(false);
        }
        mergeCompleted();
        publishProgress();
    }

    public Progress progress() {
        return progress;
    }

    /** {@link #endInput}, {@link #writeRows} and {@link #result}, one after another. */
    public JobResult finish(OutputStream rows) throws IOException {
        writeRows(rows);
        return result();
    }

    /** No more input: parses what is left, a last line without LF included (docs/stats-contract.md, "Input"). */
    public void endInput() throws IOException {
        if (!finished) {
            finished = true;
            if (skippingLongLine) {
                totals.count(Outcome.TOO_LONG);
                skippingLongLine = false;
            } else if (blockLen > 0) {
                submit(block, blockLen); // docs/stats-contract.md, "Input": a last line without LF still counts
                block = new byte[0];
                blockLen = 0;
            }
            while (!inFlight.isEmpty()) {
                merge(await(inFlight.poll()));
            }
            stopWorkers();
            publishProgress();
        }
    }

    /** Writes the rows sorted by id (after {@link #endInput}, which it calls if need be). */
    public void writeRows(OutputStream rows) throws IOException {
        endInput();
        sorter.writeSorted(rows);
    }

    /**
     * Counters and summary, once {@link #endInput} has returned. It reads only the totals and
     * {@link #writeRows} only the rows, so a thread started after endInput may compute this while
     * another writes the rows: {@code stats} does, which takes the summary off its critical path.
     */
    public JobResult result() {
        if (!finished) {
            throw new IllegalStateException("endInput() was not called");
        }
        return new JobResult(totals.counters(bytes), totals.summary(bytes));
    }

    @Override
    public void close() {
        stopWorkers();
        inFlight.clear();
        // A closed job still held by its caller (an upload's record, say) keeps no pooled buffers.
        freeResults.clear();
        freeBlocks.clear();
        sorter.close();
    }

    /** Hands over the block's whole lines; the start of the next line moves to a fresh block. */
    private void cutBlock(boolean full) throws IOException {
        int lf = Lines.lastIndexOfLf(block, noLfBefore, blockLen);
        if (lf < 0) {
            noLfBefore = blockLen;
            if (full) {
                if (blockLen > maxLineBytes + 1) {
                    dropLongLine();
                } else {
                    // One line fills the block but may still be within the cap (+1 for a CR): grow.
                    block = Arrays.copyOf(block, (int) Math.min(2L * block.length, maxLineBytes + 2L));
                }
            }
            return;
        }
        int rest = blockLen - (lf + 1);
        if (config.threads() == 1) {
            // Parsed before submit returns: the block can take the next line's start at once.
            submit(block, lf + 1);
            System.arraycopy(block, lf + 1, block, 0, rest);
            blockLen = rest;
            noLfBefore = rest;
            if (rest > maxLineBytes + 1) {
                dropLongLine();
            } else if (full && block.length < BLOCK_BYTES) {
                block = Arrays.copyOf(block, 2 * block.length);
            }
            return;
        }
        int size = block.length < BLOCK_BYTES && full ? 2 * block.length : Math.min(block.length, BLOCK_BYTES);
        byte[] next = freeBlocks.isEmpty() || size != BLOCK_BYTES ? new byte[Math.max(size, rest + 1)] : freeBlocks.pop();
        if (next.length < rest + 1) {
            next = new byte[rest + 1];
        }
        System.arraycopy(block, lf + 1, next, 0, rest);
        byte[] whole = block;
        block = next;
        blockLen = rest;
        noLfBefore = rest;
        if (rest > maxLineBytes + 1) {
            dropLongLine();
        }
        submit(whole, lf + 1);
    }

    private void dropLongLine() {
        skippingLongLine = true;
        blockLen = 0;
        noLfBefore = 0;
        if (block.length > BLOCK_BYTES) {
            block = new byte[BLOCK_BYTES]; // do not keep a huge line's buffer for the rest of the dataset
        }
    }

    private void submit(byte[] lines, int length) throws IOException {
        lastSubmitNanos = System.nanoTime();
        if (config.threads() == 1) {
            merge(freeResult().parse(callerParser, lines, 0, length, maxLineBytes));
            return;
        }
        BlockResult result = freeResult();
        inFlight.add(workers().submit(() -> {
            LineParser parser = parsers.poll();
            if (parser == null) {
                parser = new LineParser();
            }
            try {
                return result.parse(parser, lines, 0, length, maxLineBytes);
            } finally {
                parsers.add(parser);
            }
        }));
        // One block waiting per thread keeps every thread busy; more would only hold memory.
        while (inFlight.size() > 2 * config.threads()) {
            merge(await(inFlight.poll()));
        }
    }

    private void mergeCompleted() throws IOException {
        while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
            merge(await(inFlight.poll()));
        }
    }

    private BlockResult freeResult() {
        BlockResult result = freeResults.poll();
        return result != null ? result : new BlockResult(config.maxExactTerms());
    }

    private void merge(BlockResult result) throws IOException {
        totals.merge(result.aggregates);
        result.drainTo(sorter);
        byte[] input = result.input;
        result.input = null;
        if (config.threads() > 1 && input.length == BLOCK_BYTES && freeBlocks.size() < 2 * config.threads()) {
            freeBlocks.push(input);
        }
        freeResults.push(result);
    }

    private static BlockResult await(Future<BlockResult> future) throws IOException {
        return Failures.await(future, "parsing");
    }

    private ExecutorService workers() {
        if (workers == null) {
            int job = JOB_NUMBERS.incrementAndGet();
            AtomicInteger threadNumbers = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(config.threads(), config.threads(), 1, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread t = new Thread(task, "tally-job-" + job + "-parser-" + threadNumbers.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            // A job dropped without close() must not keep its threads.
            pool.allowCoreThreadTimeOut(true);
            workers = pool;
        }
        return workers;
    }

    private void stopWorkers() {
        if (workers != null) {
            workers.shutdownNow();
            workers = null;
        }
    }

    private void publishProgress() {
        progress = new Progress(bytes, totals.lines(), totals.kept(), totals.noTags(), totals.skipped());
    }
}
