package tally.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How OUTDIR appears only once complete. The run writes into a staging directory beside it,
 * {@code _NAME_temporary-RUN}; the commit moves each counted part file to {@code part-NNNNN}, writes
 * {@code summary.json}, renames the staging directory to OUTDIR, and writes {@code _SUCCESS} last. A
 * failed run removes its staging directory and leaves OUTDIR as it was.
 *
 * <p>An existing OUTDIR is refused before any work starts, unless the run may overwrite it; then it
 * is deleted only at the commit, once the new output is complete, so a failed overwrite keeps the
 * old output. A directory without {@code _SUCCESS} is not a complete output.
 *
 * <p>On S3 a rename is a copy of every byte (S3 has no rename): there the commit costs about as much
 * as writing the rows again. Writing to HDFS and copying out with {@code s3-dist-cp} is cheaper for
 * big outputs.
 */
final class OutputCommit {
    static final String SUCCESS = "_SUCCESS";
    static final String SUMMARY = "summary.json";

    private final FileSystem fs;
    private final Path out;
    private final Path staging;
    private final boolean overwrite;

    private OutputCommit(FileSystem fs, Path out, Path staging, boolean overwrite) {
        this.fs = fs;
        this.out = out;
        this.staging = staging;
        this.overwrite = overwrite;
    }

    /** Checks OUTDIR and makes the staging directory for run {@code runId}. */
    static OutputCommit begin(String outDir, boolean overwrite, String runId, Configuration conf) throws IOException {
        Path given = new Path(outDir);
        FileSystem fs = given.getFileSystem(conf);
        Path out = fs.makeQualified(given);
        if (out.getParent() == null) {
            throw new IOException("the output cannot be a root directory: " + out);
        }
        OutputCommit commit = new OutputCommit(fs, out,
                new Path(out.getParent(), "_" + out.getName() + "_temporary-" + runId), overwrite);
        commit.refuseExisting();
        if (!fs.mkdirs(commit.attempts())) {
            throw new IOException("cannot create " + commit.attempts());
        }
        return commit;
    }

    static String partName(int partition) {
        return String.format(Locale.ROOT, "part-%05d", partition);
    }

    Path attempts() {
        return new Path(staging, "_attempts");
    }

    Path out() {
        return out;
    }

    /** Makes OUTDIR: the parts of {@code written}, one per partition, and the summary. */
    void commit(WrittenParts written, int partitions, byte[] summaryJson) throws IOException {
        if (written.files().size() != partitions) {
            throw new IOException("expected " + partitions + " part files, got " + written.files().size());
        }
        for (Map.Entry<Integer, String> part : written.files().entrySet()) {
            rename(new Path(part.getValue()), new Path(staging, partName(part.getKey())));
        }
        fs.delete(attempts(), true);
        try (OutputStream json = fs.create(new Path(staging, SUMMARY), false)) {
            json.write(summaryJson);
        }
        refuseExisting();
        if (overwrite && fs.exists(out)) {
            fs.delete(out, true);
        }
        rename(staging, out);
        fs.create(new Path(out, SUCCESS), false).close();
    }

    /** Removes the staging directory: what a failed run leaves is OUTDIR as it was. */
    void abort() {
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            // Best effort: the run's own failure is the one to report.
        }
    }

    private void refuseExisting() throws IOException {
        if (!overwrite && fs.exists(out)) {
            throw new OutputExistsException(out);
        }
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    /** OUTDIR exists and the run may not overwrite it. */
    static final class OutputExistsException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputExistsException(Path out) {
            super("the output exists: " + out + " (--overwrite replaces it once the new output is complete)");
        }
    }
}
