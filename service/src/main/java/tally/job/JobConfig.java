package tally.job;

/** Limits of the job; see SPEC section "Per line" for the line cap. */
public record JobConfig(int maxLineBytes, long sortMemoryBytes) {

    public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

    public static JobConfig defaults() {
        return new JobConfig(DEFAULT_MAX_LINE_BYTES, 64L * 1024 * 1024);
    }
}
