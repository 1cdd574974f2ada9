package tally.ingest;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import tally.http.Problem;
import tally.http.ProblemException;
import tally.job.JobResult;
import tally.job.Progress;
import tally.job.TagStatsJob;
import tally.progress.ProgressEvent;
import tally.store.DatasetDraft;
import tally.store.DatasetMeta;
import tally.store.FileTree;
import tally.store.NameRules;

/**
 * One upload in flight (see {@link Ingest}). Threads: body chunks arrive on the IO thread, which
 * copies them into a piece of about 1 MiB; when the piece is full (or the body ended) it pauses the
 * receiver and dispatches the piece to a worker; the worker decodes it, hands the bytes to the input
 * writer (its own thread) and to the job, then resumes the receiver. So at most one piece is being
 * handed over per upload, and the client is slowed down whenever the worker or the disk is.
 */
final class Upload implements MultipartStage.DataTarget {
    private static final Logger LOG = Logger.getLogger(Upload.class.getName());
    /**
     * Chunks of the body (one socket read each, up to the server's 64 KiB buffer) are gathered into
     * pieces this big before a worker sees them. One dispatch per chunk meant a pause, two thread
     * hand-overs and a resume per 64 KiB, over 3,000 of them for a 206 MB upload, each waiting for a
     * core the parser threads were using. Measured side by side (warm uploads of 206 MB, curl
     * --data-binary over loopback): per chunk 1.81-2.33 s and 1.3-2.3 CPU-s of the server, per piece
     * 1.73-2.31 s and 1.1-1.7 CPU-s.
     */
    static final int PIECE_BYTES = 1 << 20;

    private final Ingest ingest;
    private final HttpServerExchange exchange;
    private final String id;
    private final String name;
    private final Ingest.Options options;
    private final Ingest.Listener listener;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    /*
     * Worker side, guarded by this: set and read by workers (begin, process and fail, all synchronized;
     * open, complete, cleanUp and the rawData stage run inside them), one piece after another. The
     * hand-overs through the IO thread would order them anyway, but a failure reported by the receiver
     * arrives on a worker of its own, which must not tear the upload down under a running process().
     */
    private Stage stage;
    private DatasetDraft draft;
    private TagStatsJob job;
    private InputSpooler spooler;
    private Path spillDir;
    private long wireBytes;
    private long decodedBytes;
    /** Set and used on the IO thread (receive, onChunk); a worker resumes it (process), hence volatile. */
    private volatile Receiver receiver;
    /* IO thread only (onChunk, and clientGone in the receiver's error callback): the piece being filled. */
    private boolean lastSeen;
    private byte[] piece;
    private int pieceLen;
    /* Written on the IO thread, read by the watchdog's thread. */
    private volatile long receivedBytes;
    private volatile long lastBytesNanos = startNanos;
    /** The receiver is paused by this server (a piece being handed over): the client is not to blame. */
    private volatile boolean heldByServer;
    /* The watchdog's own: where the span its rate is judged on began. */
    private long spanStartNanos = startNanos;
    private long spanStartBytes;
    /** The client address whose upload slot this upload holds; set before it begins. */
    private Object client;

    Upload(Ingest ingest, HttpServerExchange exchange, String id, String name, Ingest.Options options,
            Ingest.Listener listener) {
        this.ingest = ingest;
        this.exchange = exchange;
        this.id = id;
        this.name = name;
        this.options = options;
        this.listener = listener;
    }

    /** On a worker: opens the dataset (raw bodies) and starts receiving. */
    synchronized void begin(Stage decoder) {
        ingest.metrics().uploadsInFlight.inc();
        try {
            this.stage = decoder;
            if (!(decoder instanceof MultipartStage)) {
                open(name);
            }
            // Reading starts on the IO thread, so that every read happens there, one at a time. Started here,
            // the receiver's first read loop would run on this worker while a resume() from the next worker
            // lets the IO thread read too: seen as the end of the body being delivered twice.
            exchange.dispatch(exchange.getIoThread(), this::receive);
        } catch (Throwable e) {
            fail(e);
        }
    }

    private void receive() {
        receiver = exchange.getRequestReceiver();
        receiver.receivePartialBytes(this::onChunk, (ex, error) -> {
            Throwable cause = error instanceof RequestTooBigException ? error : clientGone(error);
            ex.dispatch(ingest.workers(), () -> fail(cause));
        });
    }

    /**
     * IO thread: a read error is the client's connection failing, not a server fault: no 500, no stack
     * trace. Counts the bytes read, not the bytes the worker has seen (up to a few pieces fewer).
     */
    private ProblemException clientGone(IOException error) {
        long received = receivedBytes;
        LOG.info(() -> "upload of " + id + " cut off after " + received + " bytes: " + error.getMessage());
        return Problem.badRequest("the upload was cut off after " + received + " bytes: " + error.getMessage())
                .toException();
    }

    /**
     * IO thread: copies the chunk into the current piece; hands full pieces (and the rest, at the end)
     * to a worker and stops reading until it is done (backpressure).
     */
    private void onChunk(HttpServerExchange ex, byte[] chunk, boolean last) {
        if (lastSeen) {
            return; // a wake-up after the end can report the end again
        }
        lastSeen = last;
        receivedBytes += chunk.length;
        lastBytesNanos = System.nanoTime();
        byte[] first = null;
        int firstLen = 0;
        if (piece != null && pieceLen + chunk.length > piece.length) {
            first = piece;
            firstLen = pieceLen;
            piece = null;
        }
        if (piece == null) {
            piece = new byte[Math.max(PIECE_BYTES, chunk.length)];
            pieceLen = 0;
        }
        System.arraycopy(chunk, 0, piece, pieceLen, chunk.length);
        pieceLen += chunk.length;
        byte[] second = null;
        int secondLen = 0;
        if (last || pieceLen == piece.length) {
            second = piece;
            secondLen = pieceLen;
            piece = null;
            pieceLen = 0;
        }
        if (first == null && second == null) {
            // Neither paused nor dispatched: the receiver resumes reading when this returns (which
            // keeps the exchange open). A dispatch here as well fails: UT000146, resumed and dispatched.
            return;
        }
        receiver.pause();
        heldByServer = true;
        byte[] a = first;
        int aLen = firstLen;
        byte[] b = second;
        int bLen = secondLen;
        ex.dispatch(ingest.workers(), () -> process(a, aLen, b, bLen, last));
    }

    /** On a worker, one piece at a time: {@code a} then {@code b}, either may be null. */
    private synchronized void process(byte[] a, int aLen, byte[] b, int bLen, boolean last) {
        if (ended.get()) {
            return;
        }
        try {
            accept(a, aLen);
            accept(b, bLen);
            if (last) {
                stage.end();
                complete();
            } else {
                lastBytesNanos = System.nanoTime();
                heldByServer = false;
                receiver.resume();
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    private void accept(byte[] bytes, int length) throws IOException {
        if (bytes == null || length == 0) {
            return;
        }
        wireBytes += length;
        if (wireBytes > ingest.maxUploadBytes()) {
            throw ingest.problems().tooLarge().toException();
        }
        stage.accept(bytes, 0, length);
    }

    /** The bytes of the dataset itself, after all decoding. */
    Stage rawData() {
        return new Stage() {
            @Override
            public void accept(byte[] bytes, int offset, int length) throws IOException {
                decodedBytes += length;
                if (decodedBytes > ingest.maxUploadBytes()) {
                    // The wire cap alone would let a small gzip body inflate without bound.
                    throw ingest.problems().tooLarge().toException();
                }
                spooler.write(bytes, offset, length);
                job.accept(bytes, offset, length);
            }

            @Override
            public void end() {
            }
        };
    }

    @Override
    public void check(Map<String, String> fields) {
        Problem problem = options.fieldCheck().check(fields);
        if (problem != null) {
            throw problem.toException();
        }
    }

    /** The multipart stage calls this from inside process(), which holds the lock already (reentrant). */
    @Override
    public synchronized Stage open(Map<String, String> fields, String filename) throws IOException {
        String chosen = name;
        if (isBlank(chosen)) {
            chosen = fields.get("name");
            String problem = NameRules.problem(chosen);
            if (problem != null) {
                throw Problem.badRequest(problem).toException();
            }
        }
        if (isBlank(chosen) && filename != null) {
            // The file's own name, which the person did not type: made to fit rather than refused.
            chosen = NameRules.fitted(filename);
        }
        open(isBlank(chosen) ? id : chosen.strip());
        return rawData();
    }

    private void open(String datasetName) throws IOException {
        draft = ingest.store().create(id, datasetName);
        spillDir = Files.createDirectories(ingest.spillRoot().resolve(id));
        job = new TagStatsJob(ingest.jobConfig(), spillDir);
        spooler = new InputSpooler(draft.input(), ingest.writers());
        ingest.hub().started(id, job::progress);
    }

    private void complete() throws IOException {
        if (draft == null) {
            throw Problem.badRequest("the body held no dataset").toException();
        }
        // The input is closed (and made durable) on its writer thread while the job sorts and writes the rows.
        spooler.endInput();
        JobResult result = job.finish(draft.rows());
        spooler.finish();
        DatasetMeta meta = draft.commit(result.counters(), result.summary());
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        cleanUp();
        ingest.metrics().bytesIngested.inc(decodedBytes);
        ingest.metrics().rowsWritten.inc(result.counters().kept());
        ingest.metrics().uploadSeconds.labelValues("complete").observe(seconds());
        ingest.hub().finished(id, ProgressEvent.complete(meta));
        listener.completed(exchange, meta);
    }

    /** On a worker: from begin, from process, or on its own for the receiver's read error. */
    private synchronized void fail(Throwable error) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        Problem problem = ingest.problems().from(error, exchange);
        Progress last = null;
        try {
            if (spooler != null) {
                spooler.abort();
            }
            if (job != null) {
                last = job.progress();
            }
            if (draft != null) {
                draft.abort();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not clean up the failed upload of " + id, e);
        } finally {
            cleanUp();
        }
        ingest.metrics().uploadSeconds.labelValues("failed").observe(seconds());
        if (draft != null) {
            ingest.hub().finished(id, ProgressEvent.failed(last, problem));
        }
        listener.failed(exchange, problem);
    }

    private void cleanUp() {
        try {
            if (job != null) {
                job.close();
            }
            if (spillDir != null) {
                FileTree.delete(spillDir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not remove the spill files of " + id, e);
        } finally {
            ingest.metrics().uploadsInFlight.dec();
            ingest.release(this, client);
        }
    }

    /** What the watchdog judges: how the client's bytes have flowed. */
    record Flow(boolean heldByServer, long lastBytesNanos, boolean spanComplete, long spanBytes) {
    }

    /** The watchdog's thread only: the flow so far; a completed span of {@code spanNanos} starts the next. */
    Flow flow(long now, long spanNanos) {
        long received = receivedBytes;
        if (heldByServer) {
            spanStartNanos = now;
            spanStartBytes = received;
            return new Flow(true, lastBytesNanos, false, 0);
        }
        boolean complete = now - spanStartNanos >= spanNanos;
        long bytes = received - spanStartBytes;
        if (complete) {
            spanStartNanos = now;
            spanStartBytes = received;
        }
        return new Flow(false, lastBytesNanos, complete, bytes);
    }

    /** Holds the slot of {@code address} (released when the upload ends). */
    void heldSlotOf(Object address) {
        this.client = address;
    }

    /**
     * The watchdog ends a stalled upload: reading stops and, on a worker, the upload fails with
     * {@code problem} (answered while the connection can still take it, then closed).
     */
    void cut(Problem problem) {
        exchange.getIoThread().execute(() -> {
            Receiver r = receiver;
            if (r != null) {
                r.pause();
            }
            exchange.dispatch(ingest.workers(), () -> fail(problem.toException()));
        });
    }

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
