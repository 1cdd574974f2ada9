package tally;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: serves by default; {@code stats} runs the job on a file. */
@Command(name = "tally", mixinStandardHelpOptions = true, subcommands = StatsCommand.class)
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new UnsupportedOperationException("not yet written");
    }
}
