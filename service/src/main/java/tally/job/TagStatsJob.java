package tally.job;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The bookmark tag-stats job over one dataset, fed its bytes as they arrive (any chunking).
 *
 * <p>Contract used by the service: {@link #accept} is called by one thread at a time, in order;
 * {@link #progress} may be called from any thread at any time; {@link #finish} writes the rows,
 * sorted, and returns counters and summary; {@link #close} removes any spill files.
 */
public final class TagStatsJob implements Closeable {

    public TagStatsJob(JobConfig config, Path spillDir) {
        throw new UnsupportedOperationException("not yet written");
    }

    public void accept(byte[] bytes, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("not yet written");
    }

    public Progress progress() {
        throw new UnsupportedOperationException("not yet written");
    }

    public JobResult finish(OutputStream rows) throws IOException {
        throw new UnsupportedOperationException("not yet written");
    }

    @Override
    public void close() {
    }
}
