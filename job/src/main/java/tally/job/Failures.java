package tally.job;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** What a task on another thread threw, thrown again on the thread that waited for it. */
public final class Failures {
    private Failures() {
    }

    /**
     * The task's result once it is done; what it threw is thrown here ({@link #rethrow}), and an
     * interrupt while waiting becomes an InterruptedIOException saying what was awaited.
     */
    public static <T> T await(Future<T> task, String what) throws IOException {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        } catch (ExecutionException e) {
            rethrow(e.getCause());
            throw new IOException(e);
        }
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
