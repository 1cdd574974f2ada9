package tally.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The job's counters (docs/stats-contract.md, "Counters"); {@code lines == kept + noTags + skipped} always holds.
 *
 * <p>JSON: {@code {"bytes":0,"lines":0,"kept":0,"no_tags":0,"skipped":0,"skipped_by_reason":
 * {"invalid_json":0,"not_object":0,"bad_tags":0,"bad_updated":0,"bad_id":0,"too_long":0}}}.
 */
public record Counters(
        long bytes,
        long lines,
        long kept,
        @JsonProperty("no_tags") long noTags,
        long skipped,
        @JsonProperty("skipped_by_reason") SkippedByReason skippedByReason) {

    /** Skipped lines by reason, in the spec's rule order. */
    public record SkippedByReason(
            @JsonProperty("invalid_json") long invalidJson,
            @JsonProperty("not_object") long notObject,
            @JsonProperty("bad_tags") long badTags,
            @JsonProperty("bad_updated") long badUpdated,
            @JsonProperty("bad_id") long badId,
            @JsonProperty("too_long") long tooLong) {
    }
}
