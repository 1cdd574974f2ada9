package tally.deploy;

import java.util.Set;

/**
 * An EMR step's state as DescribeStep reports it, with the reason of a failure and the log file EMR
 * names for it, if any.
 *
 * @param state PENDING, CANCEL_PENDING, RUNNING, COMPLETED, CANCELLED, FAILED or INTERRUPTED
 */
public record StepState(String state, String reason, String logFile) {
    private static final Set<String> FINAL = Set.of("COMPLETED", "CANCELLED", "FAILED", "INTERRUPTED");

    /** The step will not change any more. */
    public boolean finished() {
        return FINAL.contains(state);
    }

    public boolean completed() {
        return "COMPLETED".equals(state);
    }

    /** The state with its reason, e.g. {@code FAILED (exit 1)}. */
    public String describe() {
        return reason == null || reason.isBlank() ? state : state + " (" + reason + ")";
    }
}
