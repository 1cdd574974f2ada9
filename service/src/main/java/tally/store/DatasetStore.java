package tally.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where datasets live: the embedded {@link FileDatasetStore} (one directory, one server) or the
 * {@link S3DatasetStore} (one bucket prefix shared by a fleet).
 *
 * <p>A dataset is created as a {@link DatasetDraft} (listed as {@code in_progress}), written by the
 * upload, then either committed (durable before the call returns, then listed as {@code complete})
 * or aborted (gone). A draft left behind by a killed process is listed as {@code failed} after a
 * restart, never as complete.
 */
public interface DatasetStore extends Closeable {

    /** Starts a dataset; throws {@link DatasetExistsException} if the id is taken. */
    DatasetDraft create(String id, String name) throws IOException;

    Optional<DatasetMeta> find(String id);

    /** Newest first; {@code cursor} is null for the first page or a previous page's {@code nextCursor}. */
    DatasetPage list(String cursor, int limit);

    /** The original input, decompressed while read. Only for complete datasets. */
    InputStream openInput(String id) throws IOException;

    /** The rows, as written by the job. Only for complete datasets. */
    InputStream openRows(String id) throws IOException;

    /** The input as stored (LZ4 frames), to copy a dataset byte for byte. Only for complete datasets. */
    InputStream openStoredInput(String id) throws IOException;

    /**
     * Adds a complete dataset copied from another store: {@code meta} as it was (id, times, sizes,
     * counters, summary), the stored input and the rows as they were. Atomic like an upload; throws
     * {@link DatasetExistsException} if the id is taken, and an IOException if the bytes do not match
     * the sizes in {@code meta}.
     */
    DatasetMeta restore(DatasetMeta meta, InputStream storedInput, InputStream rows) throws IOException;

    /** Why the store cannot be used right now (uploads and {@code /readyz} then answer 503); empty while it can. */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** True if calls may wait on the network: the server then keeps them off its IO threads. */
    default boolean isRemote() {
        return false;
    }

    /**
     * Removes a dataset; false if there was none. Throws {@link DatasetBusyException} while it is
     * being uploaded.
     */
    boolean delete(String id) throws IOException;
}
