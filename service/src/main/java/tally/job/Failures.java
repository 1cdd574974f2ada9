package tally.job;

import java.io.IOException;

/** What a task on another thread threw, thrown again on the thread that waited for it. */
public final class Failures {
    private Failures() {
    }

    /**
     * Throws {@code failure} as it is when it is an {@link IOException}, a {@link RuntimeException} or
     * an {@link Error}, and any other throwable wrapped in an IOException; does nothing for null.
     */
    public static void rethrow(Throwable failure) throws IOException {
        if (failure == null) {
            return;
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IOException(failure);
    }
}
