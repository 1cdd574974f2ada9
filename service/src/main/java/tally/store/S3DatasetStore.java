package tally.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import tally.job.Counters;
import tally.job.Summary;

/**
 * Datasets in an S3 bucket under a prefix, shared by every instance that points at it: what one
 * instance stores, all of them list and serve, and a release that replaces the instances keeps them.
 * The keys are {@link S3Keys}'s.
 *
 * <p><b>Commit.</b> An upload first writes {@code claims/ID} with {@code If-None-Match: *}: the id is
 * taken at once (a second PUT of the same id, on any instance, gets {@link DatasetExistsException}
 * before its body is read), and an index entry. Input (LZ4 frames, as the file store keeps them) and
 * rows stream to multipart uploads while the job runs, one part buffered per stream
 * ({@link S3PartStream}). {@code meta/ID.json} is written last, again with {@code If-None-Match: *}:
 * only then does the dataset read as complete, anywhere. Deleting removes the commit first.
 *
 * <p><b>Instances that die.</b> The instance writing a dataset re-writes its claim every heartbeat
 * ({@code If-Match} its last ETag). A claim without a commit reads as {@code in_progress} while it is
 * fresh and as {@code failed}, with its age, once four heartbeats passed without one; it never reads as
 * complete, and it can be deleted. {@link #sweep} (at start-up and every half grace period, on every
 * instance) aborts multipart uploads and removes claims, index entries and data nothing live refers
 * to, once older than the grace period, so a killed instance blocks its ids for at most that long.
 *
 * <p><b>Listing.</b> Index keys sort newest first ({@code index/INVERTED_MILLIS-ID}), so a page is one
 * {@code ListObjectsV2} with {@code StartAfter} = the cursor, plus the metadata of that page's datasets
 * only. A complete dataset's metadata never changes, so it is cached (bounded); an in-flight one is
 * read each time. This was chosen over a whole-store listing cached in memory: pages cost the same
 * whatever the store's size, and another instance's upload shows up at once rather than at the next
 * refresh. Single reads ({@link #find}) always ask S3, so a delete on one instance is seen by all.
 *
 * <p><b>Outages.</b> The SDK retries; a call that still fails throws {@link StoreUnavailableException}
 * (503) and {@link #unavailable} says why until a call succeeds again (a probe runs every few seconds).
 */
public final class S3DatasetStore implements DatasetStore {
    static final String INTERRUPTED = "interrupted: the instance writing it stopped %d s ago; "
            + "the store's sweep removes it";
    private static final Logger LOG = Logger.getLogger(S3DatasetStore.class.getName());
    private static final String TOKEN = "token";
    private static final String STATE = "state";
    private static final String DELETING = "deleting";
    private static final int CACHED_METAS = 10_000;

    private final S3Objects s3;
    private final S3Keys keys;
    private final S3StoreSettings settings;
    private final Clock clock;
    private final MetaJson json = new MetaJson();
    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();
    private final Map<String, Committed> cache = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Committed> eldest) {
                    return size() > CACHED_METAS;
                }
            });
    private final ScheduledExecutorService timers;
    private final S3Sweep sweeper;

    /** A committed dataset's metadata and the token of its data. */
    private record Committed(DatasetMeta meta, String token) {
    }

    /** What {@code claims/ID} says. */
    private record Claim(DatasetMeta started, String token, boolean deleting, Instant written, String etag) {
    }

    S3DatasetStore(S3Objects s3, S3StoreSettings settings, Clock clock) {
        this.s3 = s3;
        this.settings = settings;
        this.keys = new S3Keys(settings.location().prefix());
        this.clock = clock;
        this.sweeper = new S3Sweep(s3, keys, settings, clock, this::isLocalToken);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-store");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to the bucket, checks it answers (a failure leaves the store unavailable, not unopened: it
     * recovers by itself), starts the heartbeat, the readiness probe and the sweeps.
     */
    public static S3DatasetStore open(S3StoreSettings settings) {
        S3DatasetStore store = connect(settings);
        store.start();
        return store;
    }

    /**
     * The store without its background work (heartbeats, probes, sweeps): for a command that reads
     * datasets or {@link #restore}s them, never for a server, whose uploads need their heartbeat.
     */
    public static S3DatasetStore connect(S3StoreSettings settings) {
        return new S3DatasetStore(S3Objects.connect(settings.location().bucket(), settings.endpoint()), settings,
                Clock.systemUTC());
    }

    void start() {
        probe();
        long beat = settings.heartbeat().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long probe = settings.probeEvery().toMillis();
        timers.scheduleWithFixedDelay(this::probe, probe, probe, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::sweepQuietly, 0, settings.sweepEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timers.shutdownNow();
        s3.close();
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.ofNullable(s3.problem());
    }

    /** Aborts and removes what no live upload or dataset refers to, older than the grace period. */
    public S3Sweep.Result sweep() {
        return sweeper.sweep();
    }

    private void sweepQuietly() {
        try {
            S3Sweep.Result result = sweep();
            if (result.removed() > 0) {
                LOG.info(() -> "store sweep: " + result);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "store sweep failed; the next one retries", e);
        }
    }

    private void probe() {
        try {
            s3.list(keys.metas(), null, 1, o -> { });
        } catch (StoreUnavailableException e) {
            LOG.warning(e.getMessage());
        }
    }

    private boolean isLocalToken(String token) {
        return drafts.values().stream().anyMatch(d -> d.token.equals(token));
    }

    // --- writing

    @Override
    public DatasetDraft create(String id, String name) throws IOException {
        if (!DatasetIds.isValid(id)) {
            throw new IllegalArgumentException("invalid dataset id: " + id);
        }
        DatasetMeta started = DatasetMeta.started(id, name, clock.instant());
        String token = DatasetIds.newId();
        Map<String, String> writing = Map.of(TOKEN, token);
        String etag = s3.putIfAbsent(keys.claim(id), json.write(started), writing);
        if (etag == null) {
            throw new DatasetExistsException(id);
        }
        try {
            // A dataset copied in by migrate-store has its commit before its claim.
            if (s3.exists(keys.meta(id))) {
                s3.deleteIfMatch(keys.claim(id), etag);
                throw new DatasetExistsException(id);
            }
            s3.put(keys.index(started.createdAt(), id), new byte[0], Map.of());
        } catch (StoreUnavailableException e) {
            releaseQuietly(id, etag);
            throw e;
        }
        Draft draft = new Draft(started, token, etag);
        drafts.put(id, draft);
        return draft;
    }

    private void releaseQuietly(String id, String etag) {
        try {
            s3.deleteIfMatch(keys.claim(id), etag);
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "could not release the claim of " + id + "; the store's sweep will", e);
        }
    }

    private void heartbeat() {
        for (Draft draft : drafts.values()) {
            try {
                draft.beat();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not renew the claim of " + draft.id(), e);
            }
        }
    }

    /**
     * Writes the commit; true if it is this writer's (a retried PUT that had landed answers 412 too,
     * so a taken key is checked for this writer's token before giving up).
     */
    private boolean commitMeta(DatasetMeta meta, String token) throws IOException {
        if (s3.putIfAbsent(keys.meta(meta.id()), json.write(meta), Map.of(TOKEN, token)) != null) {
            cache.put(meta.id(), new Committed(meta, token));
            return true;
        }
        Committed existing = readMeta(meta.id());
        return existing != null && existing.token().equals(token);
    }

    @Override
    public DatasetMeta restore(DatasetMeta meta, InputStream storedInput, InputStream rows) throws IOException {
        if (!meta.isComplete() || !DatasetIds.isValid(meta.id())) {
            throw new IllegalArgumentException("only a complete dataset with a valid id can be restored");
        }
        String id = meta.id();
        String token = DatasetIds.newId();
        S3PartStream input = new S3PartStream(s3, keys.data(id, token, S3Keys.INPUT));
        S3PartStream rowsOut = new S3PartStream(s3, keys.data(id, token, S3Keys.ROWS));
        try {
            copy(storedInput, input, meta.sizes().storedInputBytes());
            copy(rows, rowsOut, meta.sizes().rowsBytes());
            String index = keys.index(meta.createdAt(), id);
            boolean indexed = s3.exists(index);
            s3.put(index, new byte[0], Map.of());
            if (!commitMeta(meta, token)) {
                if (!indexed) {
                    s3.delete(index);
                }
                throw new DatasetExistsException(id);
            }
        } catch (IOException | RuntimeException e) {
            input.abort();
            rowsOut.abort();
            throw e;
        }
        // The claim last: the commit already made the id taken (create checks for it).
        s3.putIfAbsent(keys.claim(id), json.write(meta), Map.of(TOKEN, token));
        return meta;
    }

    private static void copy(InputStream from, S3PartStream to, long expectedBytes) throws IOException {
        from.transferTo(to);
        to.close();
        if (to.size() != expectedBytes) {
            throw new IOException("got " + to.size() + " bytes where the metadata says " + expectedBytes);
        }
    }

    // --- reading

    @Override
    public Optional<DatasetMeta> find(String id) {
        if (!DatasetIds.isValid(id)) {
            return Optional.empty();
        }
        Committed committed = readMeta(id);
        if (committed != null) {
            return Optional.of(committed.meta());
        }
        Draft local = drafts.get(id);
        if (local != null) {
            return Optional.of(local.started);
        }
        return Optional.ofNullable(fromClaim(readClaim(id)));
    }

    /** The commit of {@code id}, or null; the cached instance when unchanged (response bodies are cached by it). */
    private Committed readMeta(String id) {
        S3Objects.Stored stored = s3.get(keys.meta(id));
        if (stored == null) {
            cache.remove(id);
            return null;
        }
        DatasetMeta meta = parse(stored.bytes(), keys.meta(id));
        Committed read = new Committed(meta, stored.metadata().getOrDefault(TOKEN, ""));
        Committed known = cache.get(id);
        if (read.equals(known)) {
            return known;
        }
        cache.put(id, read);
        return read;
    }

    private Claim readClaim(String id) {
        S3Objects.Stored stored = s3.get(keys.claim(id));
        if (stored == null) {
            return null;
        }
        return new Claim(parse(stored.bytes(), keys.claim(id)), stored.metadata().getOrDefault(TOKEN, ""),
                DELETING.equals(stored.metadata().get(STATE)), stored.lastModified(), stored.etag());
    }

    private DatasetMeta parse(byte[] bytes, String key) {
        try {
            return json.read(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + key, e);
        }
    }

    /** A claim without a commit: in progress while fresh, failed once stale, nothing while being deleted. */
    private DatasetMeta fromClaim(Claim claim) {
        if (claim == null || claim.deleting()) {
            return null;
        }
        Duration age = Duration.between(claim.written(), clock.instant());
        if (age.compareTo(settings.staleAfter()) < 0) {
            return claim.started();
        }
        return claim.started().failed(claim.written(), String.format(INTERRUPTED, age.toSeconds()));
    }

    @Override
    public DatasetPage list(String cursor, int limit) {
        String after = cursor == null ? null : keys.startAfter(cursor);
        List<DatasetMeta> page = new ArrayList<>();
        boolean more = true;
        while (more && page.size() < limit) {
            List<String> listed = new ArrayList<>();
            more = s3.list(keys.indexes(), after, limit - page.size(), o -> listed.add(o.key()));
            if (listed.isEmpty()) {
                more = false;
                break;
            }
            for (String key : listed) {
                S3Keys.IndexEntry entry = keys.parseIndex(key);
                DatasetMeta meta = entry == null ? null : describe(entry.id());
                // An entry left by an earlier dataset of the same id (a delete cut short) is not this one's.
                if (meta != null && meta.createdAt().toEpochMilli() == entry.created().toEpochMilli()) {
                    page.add(meta);
                }
            }
            after = listed.get(listed.size() - 1);
        }
        return new DatasetPage(List.copyOf(page), more ? keys.cursorAfter(after) : null);
    }

    private DatasetMeta describe(String id) {
        Committed known = cache.get(id);
        return known != null ? known.meta() : find(id).orElse(null);
    }

    @Override
    public InputStream openStoredInput(String id) throws IOException {
        return s3.open(keys.data(id, committed(id).token(), S3Keys.INPUT));
    }

    @Override
    public InputStream openInput(String id) throws IOException {
        return StoredInput.open(openStoredInput(id));
    }

    @Override
    public InputStream openRows(String id) throws IOException {
        return s3.open(keys.data(id, committed(id).token(), S3Keys.ROWS));
    }

    /** From the cache when known: if it was deleted since, its data are gone too and the open says so. */
    private Committed committed(String id) throws java.nio.file.NoSuchFileException {
        Committed known = cache.get(id);
        Committed found = known != null ? known : readMeta(id);
        if (found == null || !found.meta().isComplete()) {
            throw new java.nio.file.NoSuchFileException("no complete dataset '" + id + "'");
        }
        return found;
    }

    // --- deleting

    @Override
    public boolean delete(String id) throws IOException {
        if (drafts.containsKey(id)) {
            throw new DatasetBusyException(id);
        }
        Committed committed = readMeta(id);
        if (committed == null) {
            Claim claim = readClaim(id);
            if (claim == null) {
                return false;
            }
            DatasetMeta meta = fromClaim(claim);
            if (meta != null && meta.status() == DatasetStatus.IN_PROGRESS) {
                throw new DatasetBusyException(id);
            }
            // An interrupted upload (or a delete cut short): whatever it left, under any token.
            s3.listAll(keys.dataOf(id), o -> s3.delete(o.key()));
            s3.delete(keys.index(claim.started().createdAt(), id));
            s3.deleteIfMatch(keys.claim(id), claim.etag());
            return meta != null;
        }
        DatasetMeta meta = committed.meta();
        // The claim says "deleting" first, so that a delete cut short reads as gone, not as failed.
        s3.put(keys.claim(id), json.write(meta), Map.of(TOKEN, committed.token(), STATE, DELETING));
        s3.delete(keys.meta(id));
        cache.remove(id);
        s3.delete(keys.data(id, committed.token(), S3Keys.INPUT));
        s3.delete(keys.data(id, committed.token(), S3Keys.ROWS));
        s3.delete(keys.index(meta.createdAt(), id));
        s3.delete(keys.claim(id));
        return true;
    }

    /** An upload in flight: see the class comment. */
    private final class Draft implements DatasetDraft {
        private final DatasetMeta started;
        private final String token;
        private final S3PartStream inputObject;
        private final S3PartStream rowsObject;
        private final StoredInput input;
        private final Object claimLock = new Object();
        private String claimEtag;
        private boolean claimLost;
        private boolean finished;

        Draft(DatasetMeta started, String token, String claimEtag) throws IOException {
            this.started = started;
            this.token = token;
            this.claimEtag = claimEtag;
            this.inputObject = new S3PartStream(s3, keys.data(id(), token, S3Keys.INPUT));
            this.rowsObject = new S3PartStream(s3, keys.data(id(), token, S3Keys.ROWS));
            // Closing the stream completes the object: durable once S3 has answered.
            this.input = new StoredInput(inputObject, () -> { });
        }

        @Override
        public String id() {
            return started.id();
        }

        @Override
        public String name() {
            return started.name();
        }

        @Override
        public OutputStream input() {
            return input;
        }

        @Override
        public OutputStream rows() {
            return rowsObject;
        }

        /** Renews the claim; a claim changed or gone meanwhile (swept after a long stall) is lost for good. */
        void beat() throws IOException {
            synchronized (claimLock) {
                if (claimLost) {
                    return;
                }
                String etag = s3.putIfMatch(keys.claim(id()), json.write(started), Map.of(TOKEN, token), claimEtag);
                if (etag == null) {
                    claimLost = true;
                    LOG.warning(() -> "the claim of dataset " + id() + " was taken away; its upload will fail");
                } else {
                    claimEtag = etag;
                }
            }
        }

        private String claimEtag() throws IOException {
            synchronized (claimLock) {
                if (claimLost) {
                    throw new IOException("dataset " + id() + " lost its claim in the store (no heartbeat for over "
                            + settings.sweepGrace().toSeconds() + " s)");
                }
                return claimEtag;
            }
        }

        @Override
        public synchronized DatasetMeta commit(Counters counters, Summary summary) throws IOException {
            if (finished) {
                throw new IllegalStateException("dataset " + id() + " already committed or aborted");
            }
            input.close();
            rowsObject.close();
            claimEtag();
            DatasetSizes sizes = new DatasetSizes(input.originalBytes(), inputObject.size(), rowsObject.size());
            DatasetMeta complete = started.completed(clock.instant(), sizes, counters, summary);
            if (!commitMeta(complete, token)) {
                throw new DatasetExistsException(id());
            }
            finished = true;
            drafts.remove(id());
            return complete;
        }

        @Override
        public synchronized void abort() {
            if (finished) {
                return;
            }
            finished = true;
            inputObject.abort();
            rowsObject.abort();
            try {
                s3.delete(keys.index(started.createdAt(), id()));
                synchronized (claimLock) {
                    s3.deleteIfMatch(keys.claim(id()), claimEtag);
                }
            } catch (StoreUnavailableException e) {
                LOG.log(Level.WARNING, "could not remove the claim of " + id() + "; the store's sweep will", e);
            } finally {
                drafts.remove(id());
            }
        }
    }
}
