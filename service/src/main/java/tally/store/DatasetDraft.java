package tally.store;

import java.io.IOException;
import java.io.OutputStream;
import tally.job.Counters;
import tally.job.Summary;

/**
 * A dataset being written. One thread may write {@link #input()} while another writes
 * {@link #rows()}; {@link #commit} or {@link #abort} is called once, after both are done.
 */
public interface DatasetDraft {

    String id();

    String name();

    /** Receives the original (decompressed) bytes; the store compresses them. */
    OutputStream input();

    /** Receives rows.tsv. */
    OutputStream rows();

    /** Makes the dataset durable and complete, then returns its metadata. */
    DatasetMeta commit(Counters counters, Summary summary) throws IOException;

    /** Forgets the dataset and its files; safe to call after a failed commit or twice. */
    void abort();
}
