package tally.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tally.job.Counters;
import tally.job.Summary;

/**
 * What is known about one dataset: what {@code meta.json} holds ({@link MetaJson}) and what the API
 * returns. Counters and summary are the job's records; both are null until the dataset is complete.
 *
 * @param created ISO-8601 instant the upload started
 * @param completed ISO-8601 instant it became complete or failed; null while in progress
 * @param reason why it failed; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetMeta(
        String id,
        String name,
        DatasetStatus status,
        String created,
        String completed,
        String reason,
        DatasetSizes sizes,
        Counters counters,
        Summary summary) {

    public static DatasetMeta started(String id, String name, Instant now) {
        return new DatasetMeta(id, name, DatasetStatus.IN_PROGRESS, now.toString(), null, null, DatasetSizes.NONE,
                null, null);
    }

    public DatasetMeta completed(Instant now, DatasetSizes sizes, Counters counters, Summary summary) {
        return new DatasetMeta(id, name, DatasetStatus.COMPLETE, created, now.toString(), null, sizes, counters,
                summary);
    }

    public DatasetMeta failed(Instant now, String why) {
        return new DatasetMeta(id, name, DatasetStatus.FAILED, created, now.toString(), why, sizes, counters,
                summary);
    }

    @JsonIgnore
    public Instant createdAt() {
        return Instant.parse(created);
    }

    @JsonIgnore
    public boolean isComplete() {
        return status == DatasetStatus.COMPLETE;
    }
}
