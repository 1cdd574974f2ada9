package tally.job;

/** What a finished job reports besides its rows. Serialized as JSON by the service. */
public record JobResult(Counters counters, Summary summary) {
}
