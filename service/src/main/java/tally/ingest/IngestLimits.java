package tally.ingest;

import java.nio.file.Path;
import java.time.Duration;
import tally.job.JobConfig;

/**
 * What the upload pipeline may use.
 *
 * @param maxUploadBytes cap on an upload's body, and separately on its decompressed size
 * @param maxConcurrentUploads uploads running at once; one more is refused with 503
 * @param spillDir where the jobs' sorts spill; emptied when the pipeline starts
 * @param job the job's own limits
 * @param maxUploadsPerClient uploads one client address may run at once; one more is refused with 429
 * @param idleTimeout an upload that sends nothing this long is ended with 408; also the span its rate is judged on
 * @param minBytesPerSecond an upload that sends less than this on average over such a span is ended with 408
 */
public record IngestLimits(long maxUploadBytes, int maxConcurrentUploads, Path spillDir, JobConfig job,
        int maxUploadsPerClient, Duration idleTimeout, long minBytesPerSecond) {
}
