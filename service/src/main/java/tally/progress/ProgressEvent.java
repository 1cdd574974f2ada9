package tally.progress;

import com.fasterxml.jackson.annotation.JsonInclude;
import tally.http.Problem;
import tally.job.Counters;
import tally.job.Progress;
import tally.store.DatasetMeta;

/**
 * One WebSocket progress message. {@code state} is {@code waiting} (no upload yet), {@code running},
 * {@code complete} (with the counters) or {@code failed} (with the problem).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgressEvent(
        String state, long bytes, long lines, long kept, long skipped, long noTags,
        Counters counters, Problem problem) {

    static final ProgressEvent WAITING = new ProgressEvent("waiting", 0, 0, 0, 0, 0, null, null);

    static ProgressEvent running(Progress p) {
        return new ProgressEvent("running", p.bytes(), p.lines(), p.kept(), p.skipped(), p.noTags(), null, null);
    }

    public static ProgressEvent complete(DatasetMeta meta) {
        Counters c = meta.counters();
        return c == null ? new ProgressEvent("complete", 0, 0, 0, 0, 0, null, null)
                : new ProgressEvent("complete", c.bytes(), c.lines(), c.kept(), c.skipped(), c.noTags(), c, null);
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
}
