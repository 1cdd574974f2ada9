package tally.load;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a load on stderr: a line at most once a second (a load of a few seconds prints none),
 * then the totals. Megabytes are 10^6 bytes of rows as read (after gunzip).
 */
final class Progress {
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final double MB = 1e6;

    private final PrintStream err;
    private final long started;
    private long nextReport;
    private long bytes;
    private long rows;

    Progress(PrintStream err, long now) {
        this.err = err;
        this.started = now;
        this.nextReport = now + INTERVAL_NANOS;
    }

    Progress(PrintStream err) {
        this(err, System.nanoTime());
    }

    /** {@code moreBytes} more bytes read, {@code rowsSoFar} rows complete. */
    void update(long rowsSoFar, long moreBytes) {
        rows = rowsSoFar;
        bytes += moreBytes;
        long now = System.nanoTime();
        if (now >= nextReport) {
            nextReport = now + INTERVAL_NANOS;
            err.println("tally load: " + rates(now));
        }
    }

    /** "N rows, X MB in S s (R rows/s, M MB/s)". */
    String rates(long now) {
        double seconds = Math.max(now - started, 1) / 1e9;
        return String.format(Locale.ROOT, "%,d rows, %.1f MB in %.1f s (%,.0f rows/s, %.1f MB/s)", rows, bytes / MB,
                seconds, rows / seconds, bytes / MB / seconds);
    }

    String totals() {
        return rates(System.nanoTime());
    }

    long rows() {
        return rows;
    }
}
