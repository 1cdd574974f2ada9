package tally.deploy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One line of an environment's history: a release, a rollback or a teardown, and how it ended. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntry(
        String time,
        String action,
        String outcome,
        String version,
        String previousVersion,
        String deployId,
        List<String> instances,
        String reason,
        List<String> lastHealth,
        long durationMs,
        String actor) {

    public boolean succeeded() {
        return "succeeded".equals(outcome);
    }
}
