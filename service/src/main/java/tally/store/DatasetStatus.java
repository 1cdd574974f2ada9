package tally.store;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a dataset is in its life; only {@code COMPLETE} ones have rows to read. */
public enum DatasetStatus {
    IN_PROGRESS("in_progress"),
    COMPLETE("complete"),
    FAILED("failed");

    private final String json;

    DatasetStatus(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
