package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import tally.job.TagStatsJob;

/**
 * Moves rows from their sources into a sink, checking each byte on the way ({@link RowChecker}) and
 * reporting progress: one pass, one 64 KiB buffer, nothing held back. A header line (what
 * {@code stats --header} writes) at the start of a source is skipped: no row can equal it, since its
 * num_tags is not a number.
 */
final class RowPump {
    /** Where checked bytes go: PostgreSQL's COPY stream, or Redshift's part files. */
    @FunctionalInterface
    interface Sink {
        /**
         * {@code len} checked bytes from {@code off}; {@code rowEnd} is the index just past the last row
         * that ended in them, or -1 when none did (a sink that cuts files cuts there).
         */
        void write(byte[] buf, int off, int len, int rowEnd) throws IOException, SQLException;
    }

    private static final byte[] HEADER = TagStatsJob.HEADER.getBytes(UTF_8);
    private static final byte[] NEWLINE = {'\n'};
    private static final int BUFFER_BYTES = 1 << 16;

    private final RowChecker checker;
    private final Progress progress;

    RowPump(RowChecker checker, Progress progress) {
        this.checker = checker;
        this.progress = progress;
    }

    /** Pumps every source in order and returns the number of rows. */
    long pump(List<RowSources.Source> sources, Sink sink)
            throws IOException, SQLException, LoadException, BadRowException {
        byte[] buf = new byte[BUFFER_BYTES];
        for (RowSources.Source source : sources) {
            checker.startSource(source.name());
            try (InputStream in = source.open()) {
                int n = in.readNBytes(buf, 0, HEADER.length);
                int start = n == HEADER.length && Arrays.equals(buf, 0, n, HEADER, 0, n) ? n : 0;
                feed(sink, buf, start, n - start);
                while ((n = in.read(buf)) != -1) {
                    feed(sink, buf, 0, n);
                }
            }
            if (checker.endSource()) {
                // A last row without LF: ended here, so the next part's first row is a row of its own.
                byte[] newline = NEWLINE.clone();
                sink.write(newline, 0, 1, 1);
            }
        }
        progress.update(checker.rows(), 0);
        return checker.rows();
    }

    private void feed(RowPump.Sink sink, byte[] buf, int off, int len) throws IOException, SQLException, BadRowException {
        if (len <= 0) {
            return;
        }
        int rowEnd = checker.check(buf, off, len);
        sink.write(buf, off, len, rowEnd);
        progress.update(checker.rows(), len);
    }
}
