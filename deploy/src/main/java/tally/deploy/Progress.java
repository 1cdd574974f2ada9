package tally.deploy;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Step-by-step progress with timings. With {@code --json} the steps go to stderr so stdout carries
 * only the final JSON document.
 */
public final class Progress {
    private final PrintWriter out;
    private final long startNanos = System.nanoTime();

    public Progress(PrintWriter out) {
        this.out = out;
    }

    public <T> T step(String what, Supplier<T> action) {
        long t0 = System.nanoTime();
        line("%s ...", what);
        T result = action.get();
        line("%s: done in %s", what, seconds(System.nanoTime() - t0));
        return result;
    }

    public void step(String what, Runnable action) {
        step(what, () -> {
            action.run();
            return null;
        });
    }

    public void note(String format, Object... args) {
        line(format, args);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void line(String format, Object... args) {
        out.printf(Locale.ROOT, "[%7s] %s%n", seconds(System.nanoTime() - startNanos), String.format(Locale.ROOT, format, args));
        out.flush();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }
}
