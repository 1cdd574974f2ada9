package tally.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import tally.http.Lifecycle;
import tally.http.Metrics;
import tally.http.Problem;
import tally.http.ProblemException;
import tally.http.Problems;
import tally.job.JobConfig;
import tally.progress.ProgressHub;
import tally.store.DatasetMeta;
import tally.store.DatasetStore;
import tally.store.FileTree;
import tally.store.NameRules;

/**
 * The upload pipeline, shared by the API ({@code POST/PUT /api/datasets}) and the HTML form: call
 * {@link #start} from a handler with the exchange, the dataset id and name; it reads the body as it
 * arrives (raw JSON lines, {@code Content-Encoding: gzip}, or {@code multipart/form-data}), feeds
 * the job on a worker thread while another thread compresses the input to the store, publishes
 * progress on {@code /ws/datasets/{id}}, makes the dataset durable and then calls
 * {@link Listener#completed} with its metadata; on any failure (a bad body, 413, the client gone, a
 * full server) the dataset's files are removed and {@link Listener#failed} gets a {@link Problem}.
 * For multipart bodies, {@link Options#fieldCheck} sees the form fields that precede the file part
 * before a single file byte is accepted (put the CSRF token field first). The listener is called
 * exactly once, on a worker thread or the IO thread: it should send its response and return.
 */
public final class Ingest {
    private static final Set<String> RAW_TYPES = Set.of("", "application/x-ndjson", "application/jsonl",
            "application/json", "text/plain", "application/octet-stream", "application/x-jsonlines",
            "application/jsonlines");
    private static final Set<String> GZIP_TYPES = Set.of("application/gzip", "application/x-gzip");

    /**
     * How a caller wants a body read.
     *
     * @param fieldCheck sees the multipart fields before the first file part; returns a Problem to refuse
     * @param textFields multipart fields whose value is data (a pasted dataset), not a form field
     * @param pasted where the text fields' bytes are also copied (to show a refused form again); or null
     */
    public record Options(FieldCheck fieldCheck, Set<String> textFields, TextFieldCopy pasted) {
        public static final Options API = new Options(fields -> null, Set.of(), null);
    }

    /** Refuses an upload (returns a Problem) or lets it go on (returns null). */
    @FunctionalInterface
    public interface FieldCheck {
        Problem check(Map<String, String> fields);
    }

    /** Told once how the upload ended. */
    public interface Listener {
        void completed(HttpServerExchange exchange, DatasetMeta meta);

        void failed(HttpServerExchange exchange, Problem problem);
    }

    private final DatasetStore store;
    private final ProgressHub hub;
    private final Metrics metrics;
    private final Problems problems;
    private final ObjectMapper json;
    private final Lifecycle lifecycle;
    private final ExecutorService workers;
    private final ExecutorService writers;
    private final long maxUploadBytes;
    private final Semaphore slots;
    private final ClientSlots perClient;
    private final UploadWatchdog watchdog;
    private final int maxConcurrentUploads;
    private final JobConfig jobConfig;
    private final Path spillRoot;

    public Ingest(IngestLimits limits, DatasetStore store, ProgressHub hub, Metrics metrics, Problems problems,
            ObjectMapper json, Lifecycle lifecycle, ExecutorService workers, ExecutorService writers,
            ScheduledExecutorService scheduler) throws IOException {
        this.store = store;
        this.hub = hub;
        this.metrics = metrics;
        this.problems = problems;
        this.json = json;
        this.lifecycle = lifecycle;
        this.workers = workers;
        this.writers = writers;
        this.maxUploadBytes = limits.maxUploadBytes();
        this.maxConcurrentUploads = limits.maxConcurrentUploads();
        this.slots = new Semaphore(maxConcurrentUploads);
        this.perClient = new ClientSlots(limits.maxUploadsPerClient());
        this.watchdog = new UploadWatchdog(limits.idleTimeout(), limits.minBytesPerSecond(), metrics, scheduler);
        this.jobConfig = limits.job();
        this.spillRoot = limits.spillDir();
        FileTree.delete(spillRoot);
        Files.createDirectories(spillRoot);
    }

    /** Starts reading the body; see the class comment. Call from a handler (IO or worker thread). */
    public void start(HttpServerExchange exchange, String id, String name, Options options, Listener listener) {
        if (lifecycle.isDraining()) {
            listener.failed(exchange, Problem.unavailable("the server is shutting down; retry on another instance"));
            return;
        }
        Optional<String> storeProblem = store.unavailable();
        if (storeProblem.isPresent()) {
            // Refused before the body is read: the client learns at once, not after sending a gigabyte.
            listener.failed(exchange, Problem.unavailable(storeProblem.get() + "; retry shortly"));
            return;
        }
        Stage stage;
        Upload upload = new Upload(this, exchange, id, name, options, listener);
        try {
            String nameProblem = NameRules.problem(name);
            if (nameProblem != null) {
                throw Problem.badRequest(nameProblem).toException();
            }
            stage = decoderFor(exchange, options, upload);
            checkLength(exchange);
        } catch (ProblemException e) {
            listener.failed(exchange, e.problem());
            return;
        }
        Object client = ClientSlots.clientOf(exchange);
        if (!perClient.tryAcquire(client)) {
            metrics.uploadsCut.labelValues("per_client").inc();
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
            listener.failed(exchange, Problem.of(429, "Too Many Requests", "this client already runs "
                    + perClient.limit() + " uploads, the most one client may run at once; retry when one ends"));
            return;
        }
        if (!slots.tryAcquire()) {
            perClient.release(client);
            metrics.uploadsCut.labelValues("busy").inc();
            listener.failed(exchange, Problem.unavailable("the server is busy with " + maxConcurrentUploads
                    + " uploads already; retry shortly"));
            return;
        }
        upload.heldSlotOf(client);
        watchdog.watch(upload);
        exchange.dispatch(workers, () -> upload.begin(stage));
    }

    private Stage decoderFor(HttpServerExchange exchange, Options options, Upload upload) {
        String encoding = lower(exchange.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
        if (!encoding.isEmpty() && !encoding.equals("identity") && !encoding.equals("gzip")
                && !encoding.equals("x-gzip")) {
            throw Problem.of(415, "Unsupported Media Type", "Content-Encoding " + encoding
                    + " is not supported: send gzip or no encoding").toException();
        }
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String type = lower(contentType);
        int semicolon = type.indexOf(';');
        String mime = (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
        Stage stage;
        if (mime.equals("multipart/form-data")) {
            String boundary = Headers.extractQuotedValueFromHeader(contentType, "boundary");
            if (boundary == null || boundary.isEmpty()) {
                throw Problem.badRequest("multipart/form-data needs a boundary parameter").toException();
            }
            stage = new MultipartStage(boundary, exchange.getConnection().getByteBufferPool(),
                    options.textFields(), options.pasted(), upload);
        } else if (RAW_TYPES.contains(mime)) {
            stage = upload.rawData();
        } else if (GZIP_TYPES.contains(mime)) {
            stage = new GzipStage(upload.rawData());
        } else {
            throw Problem.of(415, "Unsupported Media Type", "Content-Type " + mime + " is not supported: send JSON "
                    + "lines as application/x-ndjson (or application/jsonl, application/json, text/plain, "
                    + "application/octet-stream), gzip-compressed or not, or a multipart/form-data file field")
                    .toException();
        }
        return encoding.contains("gzip") ? new GzipStage(stage) : stage;
    }

    /**
     * A length is not required (chunked uploads work, the cap is then enforced while counting), but a
     * body must be framed one way or the other: without either header there is no body to read (411).
     */
    private void checkLength(HttpServerExchange exchange) {
        boolean chunked = exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        long length = exchange.getRequestContentLength();
        if (!chunked && length < 0 && !exchange.getRequestMethod().equals(Methods.GET)) {
            throw Problem.of(411, "Length Required", "send the dataset with a Content-Length or "
                    + "Transfer-Encoding: chunked; the limit is " + maxUploadBytes + " bytes").toException();
        }
        if (length > maxUploadBytes) {
            throw problems.tooLarge().toException();
        }
    }

    private static String lower(String header) {
        return header == null ? "" : header.trim().toLowerCase(Locale.ROOT);
    }

    DatasetStore store() {
        return store;
    }

    ProgressHub hub() {
        return hub;
    }

    Metrics metrics() {
        return metrics;
    }

    Problems problems() {
        return problems;
    }

    ObjectMapper json() {
        return json;
    }

    ExecutorService workers() {
        return workers;
    }

    ExecutorService writers() {
        return writers;
    }

    long maxUploadBytes() {
        return maxUploadBytes;
    }

    JobConfig jobConfig() {
        return jobConfig;
    }

    Path spillRoot() {
        return spillRoot;
    }

    /** An upload ended: its slots are free and the watchdog forgets it. */
    void release(Upload upload, Object client) {
        watchdog.forget(upload);
        perClient.release(client);
        slots.release();
    }
}
