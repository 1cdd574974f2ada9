package tally.ingest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tally.http.Metrics;
import tally.http.Problem;

/**
 * Ends uploads whose clients stall, so that a few slow or silent connections cannot hold the upload
 * slots for ever (as nginx's {@code client_body_timeout} and a minimum data rate do): an upload that
 * sends nothing for {@code idleTimeout}, or less than {@code minBytesPerSecond} on average over any
 * span of that length, is answered 408 and its dataset removed. Time the server itself holds the
 * client back (backpressure while a piece is parsed or written) does not count against it.
 */
final class UploadWatchdog {
    private final Set<Upload> uploads = ConcurrentHashMap.newKeySet();
    private final long idleNanos;
    private final long minBytesPerSecond;
    private final Metrics metrics;

    UploadWatchdog(Duration idleTimeout, long minBytesPerSecond, Metrics metrics, ScheduledExecutorService scheduler) {
        this.idleNanos = idleTimeout.toNanos();
        this.minBytesPerSecond = minBytesPerSecond;
        this.metrics = metrics;
        long tick = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 10));
        scheduler.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
    }

    void watch(Upload upload) {
        uploads.add(upload);
    }

    void forget(Upload upload) {
        uploads.remove(upload);
    }

    private void check() {
        long now = System.nanoTime();
        for (Upload upload : uploads) {
            Upload.Flow flow = upload.flow(now, idleNanos);
            if (flow.heldByServer()) {
                continue;
            }
            long quietSeconds = (now - flow.lastBytesNanos()) / 1_000_000_000L;
            if (now - flow.lastBytesNanos() > idleNanos) {
                cut(upload, "idle", "the upload sent nothing for " + quietSeconds
                        + " s: the server ends uploads that stall (--upload-idle-timeout)");
            } else if (flow.spanComplete() && flow.spanBytes() < minBytesPerSecond * (idleNanos / 1_000_000_000L)) {
                cut(upload, "slow", "the upload sent " + flow.spanBytes() + " bytes in the last "
                        + idleNanos / 1_000_000_000L + " s, below the minimum of " + minBytesPerSecond
                        + " bytes/s (--upload-min-rate)");
            }
        }
    }

    private void cut(Upload upload, String reason, String detail) {
        if (uploads.remove(upload)) {
            metrics.uploadsCut.labelValues(reason).inc();
            upload.cut(Problem.of(408, "Request Timeout", detail));
        }
    }
}
