package tally.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where datasets live: the embedded {@link FileDatasetStore} now, an S3-backed store later.
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

    /**
     * Removes a dataset; false if there was none. Throws {@link DatasetBusyException} while it is
     * being uploaded.
     */
    boolean delete(String id) throws IOException;
}
