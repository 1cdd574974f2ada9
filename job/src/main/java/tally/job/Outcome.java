package tally.job;

import java.util.Locale;

/**
 * What became of one line (docs/stats-contract.md, "Per line"): kept with a row, a record without
 * tags, or skipped for a reason. The skip reasons are listed in the order the rules test them.
 */
public enum Outcome {
    KEPT,
    NO_TAGS,
    INVALID_JSON,
    NOT_OBJECT,
    BAD_TAGS,
    BAD_UPDATED,
    BAD_ID,
    TOO_LONG;

    /** The name the counters and the summary use: {@code kept}, {@code no_tags}, {@code invalid_json}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the line counts as skipped (neither kept nor a record without tags). */
    public boolean isSkip() {
        return this != KEPT && this != NO_TAGS;
    }
}
