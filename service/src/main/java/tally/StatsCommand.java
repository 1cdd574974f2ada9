package tally;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tally stats FILE --out rows.tsv --summary summary.json}: the job from a file, no server. */
@Command(name = "stats", description = "Compute tag stats of a JSON-lines file without a server.")
public final class StatsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet written");
    }
}
