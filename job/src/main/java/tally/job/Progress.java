package tally.job;

/** A consistent-enough snapshot of a running job, cheap to take from any thread. */
public record Progress(long bytes, long lines, long kept, long noTags, long skipped) {
}
