package tally.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import tally.job.Counters;
import tally.job.Summary;

/**
 * Datasets in a directory: {@code DATA_DIR/datasets/ID/} holds {@code meta.json} (status, counters,
 * summary), {@code input.lz4} (the original bytes as LZ4 frames) and {@code rows.tsv}.
 *
 * <p>Durability: every file is written as {@code NAME.part}, fsynced and renamed; {@code meta.json}
 * says {@code in_progress} from the start and {@code complete} only after the two data files are
 * durable, so a crash at any point leaves either a complete dataset or one whose meta.json is not
 * complete. {@link #open} turns the latter into {@code failed} with a reason. The metadata of every
 * dataset is kept in memory (a few hundred bytes each) so that reads and listings never touch disk.
 */
public final class FileDatasetStore implements DatasetStore {
    static final String META = "meta.json";
    static final String INPUT = "input.lz4";
    static final String ROWS = "rows.tsv";
    static final String INTERRUPTED = "interrupted: the server stopped before the upload completed";

    private static final Logger LOG = Logger.getLogger(FileDatasetStore.class.getName());
    private static final Comparator<DatasetMeta> NEWEST_FIRST = Comparator
            .comparing(DatasetMeta::createdAt).thenComparing(DatasetMeta::id).reversed();

    private final Path root;
    private final MetaJson json = new MetaJson();
    private final Clock clock;
    private final FileChannel lock;
    private final Map<String, DatasetMeta> index = new ConcurrentHashMap<>();
    private final Map<String, Draft> drafts = new ConcurrentHashMap<>();

    private FileDatasetStore(Path root, Clock clock, FileChannel lock) {
        this.root = root;
        this.clock = clock;
        this.lock = lock;
    }

    /** Opens (creating if needed) the store under {@code dataDir}, recovering interrupted uploads. */
    public static FileDatasetStore open(Path dataDir) throws IOException {
        return open(dataDir, Clock.systemUTC());
    }

    static FileDatasetStore open(Path dataDir, Clock clock) throws IOException {
        Path root = dataDir.resolve("datasets");
        Files.createDirectories(root);
        FileChannel lock = lock(dataDir);
        try {
            FileDatasetStore store = new FileDatasetStore(root, clock, lock);
            store.load();
            return store;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * One process per data directory: a second one would take the first one's uploads for
     * interrupted ones and mark them failed. The OS drops the lock when the process dies, so a
     * killed server never blocks its successor.
     */
    private static FileChannel lock(Path dataDir) throws IOException {
        FileChannel channel = FileChannel.open(dataDir.resolve("lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // Held by this very JVM: the same answer as for another process.
        }
        channel.close();
        throw new IOException("data directory " + dataDir.toAbsolutePath() + " is in use by another Tally server");
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }

    private void load() throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                // A listing's entries always have a name (only a root has none); one without is no dataset.
                Path name = dir.getFileName();
                String id = name == null ? "" : name.toString();
                if (DatasetIds.isValid(id)) {
                    index.put(id, recover(id, dir));
                }
            }
        }
    }

    private DatasetMeta recover(String id, Path dir) throws IOException {
        DatasetMeta meta = readMeta(dir);
        if (meta != null && meta.status() != DatasetStatus.IN_PROGRESS) {
            return meta;
        }
        DatasetMeta failed = (meta != null ? meta : DatasetMeta.started(id, id, clock.instant()))
                .failed(clock.instant(), INTERRUPTED);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                // Everything but meta.json goes. An entry without a name (a listing has none) is left alone.
                Path name = file.getFileName();
                if (name != null && !META.equals(name.toString())) {
                    Files.deleteIfExists(file);
                }
            }
        }
        writeMeta(dir, failed);
        LOG.warning(() -> "dataset " + id + " was interrupted by a stop; marked failed");
        return failed;
    }

    private DatasetMeta readMeta(Path dir) {
        try {
            return json.read(Files.readAllBytes(dir.resolve(META)));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unreadable " + dir.resolve(META) + "; treating it as interrupted", e);
            return null;
        }
    }

    private void writeMeta(Path dir, DatasetMeta meta) throws IOException {
        DurableFile.write(dir.resolve(META), json.write(meta));
        DurableFile.syncDirectory(dir);
    }

    @Override
    public DatasetDraft create(String id, String name) throws IOException {
        if (!DatasetIds.isValid(id)) {
            throw new IllegalArgumentException("invalid dataset id: " + id);
        }
        NameRules.check(name);
        Path dir = root.resolve(id);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new DatasetExistsException(id);
        }
        DatasetMeta meta = DatasetMeta.started(id, name, clock.instant());
        try {
            writeMeta(dir, meta);
            DurableFile.syncDirectory(root);
            Draft draft = new Draft(dir, meta);
            drafts.put(id, draft);
            index.put(id, meta);
            return draft;
        } catch (IOException | RuntimeException e) {
            FileTree.delete(dir);
            throw e;
        }
    }

    @Override
    public Optional<DatasetMeta> find(String id) {
        return Optional.ofNullable(index.get(id));
    }

    @Override
    public DatasetPage list(String cursor, int limit) {
        List<DatasetMeta> all = new ArrayList<>(index.values());
        all.sort(NEWEST_FIRST);
        int start = 0;
        if (cursor != null) {
            DatasetMeta after = decodeCursor(cursor);
            while (start < all.size() && NEWEST_FIRST.compare(all.get(start), after) <= 0) {
                start++;
            }
        }
        int end = Math.min(all.size(), start + limit);
        List<DatasetMeta> page = List.copyOf(all.subList(start, end));
        String next = end < all.size() && !page.isEmpty() ? encodeCursor(page.get(page.size() - 1)) : null;
        return new DatasetPage(page, next);
    }

    /** The cursor names the last item seen (created time and id), so it survives inserts and deletes. */
    private static String encodeCursor(DatasetMeta last) {
        String key = last.created() + " " + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static DatasetMeta decodeCursor(String cursor) {
        try {
            String key = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int space = key.indexOf(' ');
            DatasetMeta meta = new DatasetMeta(key.substring(space + 1), null, null, key.substring(0, space), null,
                    null, null, null, null);
            meta.createdAt();
            return meta;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid cursor: pass back the next_cursor of a previous page");
        }
    }

    @Override
    public InputStream openInput(String id) throws IOException {
        return StoredInput.open(Files.newInputStream(completeDir(id).resolve(INPUT)));
    }

    @Override
    public InputStream openRows(String id) throws IOException {
        return Files.newInputStream(completeDir(id).resolve(ROWS));
    }

    @Override
    public InputStream openStoredInput(String id) throws IOException {
        return Files.newInputStream(completeDir(id).resolve(INPUT));
    }

    @Override
    public DatasetMeta restore(DatasetMeta meta, InputStream storedInput, InputStream rows) throws IOException {
        if (!meta.isComplete() || !DatasetIds.isValid(meta.id())) {
            throw new IllegalArgumentException("only a complete dataset with a valid id can be restored");
        }
        Path dir = root.resolve(meta.id());
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new DatasetExistsException(meta.id());
        }
        try {
            // The directory has no meta.json until the end: a crash before reads as interrupted after a restart.
            copy(storedInput, dir.resolve(INPUT), meta.sizes().storedInputBytes());
            copy(rows, dir.resolve(ROWS), meta.sizes().rowsBytes());
            writeMeta(dir, meta);
            DurableFile.syncDirectory(root);
            index.put(meta.id(), meta);
            return meta;
        } catch (IOException | RuntimeException e) {
            FileTree.delete(dir);
            throw e;
        }
    }

    private static void copy(InputStream from, Path to, long expectedBytes) throws IOException {
        DurableFile file = new DurableFile(to);
        try {
            from.transferTo(file.stream());
            file.stream().flush();
            if (file.size() != expectedBytes) {
                throw new IOException(to.getFileName() + ": got " + file.size() + " bytes where the metadata says "
                        + expectedBytes);
            }
            file.commit();
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
    }

    private Path completeDir(String id) throws NoSuchFileException {
        DatasetMeta meta = index.get(id);
        if (meta == null || !meta.isComplete()) {
            throw new NoSuchFileException("no complete dataset '" + id + "'");
        }
        return root.resolve(id);
    }

    @Override
    public boolean delete(String id) throws IOException {
        if (drafts.containsKey(id)) {
            throw new DatasetBusyException(id);
        }
        if (!index.containsKey(id)) {
            return false;
        }
        // The commit (meta.json) goes first, durably: a crash part-way leaves a folder without metadata,
        // which the next start reads as failed, never as complete. Then the listing, then the rest.
        Path dir = root.resolve(id);
        Files.deleteIfExists(dir.resolve(META));
        DurableFile.syncDirectory(dir);
        index.remove(id);
        FileTree.delete(dir);
        return true;
    }

    private final class Draft implements DatasetDraft {
        private final Path dir;
        private final DatasetMeta started;
        private final DurableFile inputFile;
        private final DurableFile rowsFile;
        private final StoredInput input;
        private boolean finished;

        Draft(Path dir, DatasetMeta started) throws IOException {
            this.dir = dir;
            this.started = started;
            this.inputFile = new DurableFile(dir.resolve(INPUT));
            this.rowsFile = new DurableFile(dir.resolve(ROWS));
            this.input = new StoredInput(inputFile.stream(), inputFile::sync);
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
            return rowsFile.stream();
        }

        @Override
        public synchronized DatasetMeta commit(Counters counters, Summary summary) throws IOException {
            if (finished) {
                throw new IllegalStateException("dataset " + id() + " already committed or aborted");
            }
            input.close();
            inputFile.commit();
            rowsFile.commit();
            DatasetSizes sizes = new DatasetSizes(input.originalBytes(), inputFile.size(), rowsFile.size());
            DatasetMeta complete = started.completed(clock.instant(), sizes, counters, summary);
            // meta.json last: until this rename lands, a crash leaves an in_progress dataset.
            writeMeta(dir, complete);
            finished = true;
            index.put(id(), complete);
            drafts.remove(id());
            return complete;
        }

        @Override
        public synchronized void abort() {
            if (finished) {
                return;
            }
            finished = true;
            inputFile.discard();
            rowsFile.discard();
            // Files first, the listing last: once the dataset reads as gone, none of it is left on disk.
            try {
                FileTree.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove the files of dataset " + id(), e);
            } finally {
                index.remove(id());
                drafts.remove(id());
            }
        }
    }
}
