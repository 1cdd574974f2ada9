package tally.server;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (polling every 10 ms), instead of sleeping a fixed time. */
final class Eventually {
    private Eventually() {
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, Duration.ofMillis(10), condition);
    }

    /** Polls every {@code interval}: for conditions each check of which the server counts (wrong tokens are throttled). */
    static void await(String what, Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }
}
