package tally.ingest;

import java.nio.file.Path;
import tally.job.JobConfig;

/**
 * What the upload pipeline may use.
 *
 * @param maxUploadBytes cap on an upload's body, and separately on its decompressed size
 * @param maxConcurrentUploads uploads running at once; one more is refused with 503
 * @param spillDir where the jobs' sorts spill; emptied when the pipeline starts
 * @param job the job's own limits
 */
public record IngestLimits(long maxUploadBytes, int maxConcurrentUploads, Path spillDir, JobConfig job) {
}
