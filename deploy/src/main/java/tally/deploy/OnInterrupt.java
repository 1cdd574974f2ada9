package tally.deploy;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Cleanups that must run if the JVM is stopped in the middle of a command (Ctrl-C, or SIGTERM when a CI
 * job times out): terminate instances nobody will gate, release the environment lock. They run last
 * pushed, first; a command removes each one once it is no longer needed.
 */
final class OnInterrupt implements AutoCloseable {
    private final Deque<Runnable> cleanups = new ConcurrentLinkedDeque<>();
    private final Progress progress;
    private final Thread hook;

    OnInterrupt(Progress progress) {
        this.progress = progress;
        this.hook = new Thread(this::runAll, "tally-deploy-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers {@code cleanup}; returns the handle to {@link #remove} it with. */
    Runnable push(String what, Runnable cleanup) {
        Runnable named = () -> {
            progress.note("interrupted: %s", what);
            cleanup.run();
        };
        cleanups.push(named);
        return named;
    }

    void remove(Runnable handle) {
        cleanups.remove(handle);
    }

    private void runAll() {
        for (Runnable cleanup; (cleanup = cleanups.poll()) != null; ) {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                progress.note("cleanup failed: %s", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: nothing left to unregister.
        }
    }
}
