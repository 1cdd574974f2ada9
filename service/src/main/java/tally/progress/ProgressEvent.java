package tally.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import tally.http.Problem;
import tally.job.Progress;
import tally.store.DatasetMeta;

/**
 * One WebSocket progress message. {@code state} is {@code waiting} (no upload yet), {@code running},
 * {@code complete} (with the counters) or {@code failed} (with the problem).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressEvent(
        String state, long bytes, long lines, long kept, long skipped, long noTags,
        JsonNode counters, Problem problem) {

    static final ProgressEvent WAITING = new ProgressEvent("waiting", 0, 0, 0, 0, 0, null, null);

    static ProgressEvent running(Progress p) {
        return new ProgressEvent("running", p.bytes(), p.lines(), p.kept(), p.skipped(), p.noTags(), null, null);
    }

    public static ProgressEvent complete(DatasetMeta meta) {
        JsonNode c = meta.counters();
        return new ProgressEvent("complete", number(c, "bytes"), number(c, "lines"), number(c, "kept"),
                number(c, "skipped"), number(c, "no_tags"), c, null);
    }

    public static ProgressEvent failed(Progress last, Problem problem) {
        Progress p = last != null ? last : new Progress(0, 0, 0, 0, 0);
        return new ProgressEvent("failed", p.bytes(), p.lines(), p.kept(), p.skipped(), p.noTags(), null, problem);
    }

    static ProgressEvent failed(DatasetMeta meta) {
        return new ProgressEvent("failed", 0, 0, 0, 0, 0, null, Problem.of(410, "Gone", meta.reason()));
    }

    boolean isFinal() {
        return state.equals("complete") || state.equals("failed");
    }

    private static long number(JsonNode node, String field) {
        return node == null ? 0 : node.path(field).asLong();
    }
}
