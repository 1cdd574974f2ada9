package tally.deploy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "history", description = "Releases, rollbacks and failures of the environment, oldest first.")
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    DeployCli cli;

    @Option(names = "--env", required = true)
    String env;

    @Option(names = "--limit", defaultValue = "50", description = "Show the last N entries (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        try (AwsClients aws = cli.clients()) {
            List<HistoryEntry> all = AwsErrors.during("read the history of " + Fleet.checkEnv(env),
                    () -> new History(aws.s3(), cli.bucket(), cli.mapper).read(env));
            List<HistoryEntry> last = all.subList(Math.max(0, all.size() - limit), all.size());
            cli.emit(last, last.isEmpty() ? "no history for " + env : last.stream().map(HistoryCommand::line)
                    .collect(Collectors.joining(System.lineSeparator())));
        }
        return 0;
    }

    private static String line(HistoryEntry e) {
        if (e.action().startsWith("token-")) {
            // Who was let in or shut out, not a version: "token-create succeeded  token ci".
            return e.time() + "  " + e.action() + " " + e.outcome() + "  " + e.reason() + "  by " + e.actor();
        }
        return e.time() + "  " + e.action() + " " + e.outcome() + "  " + (e.version() == null ? "-" : e.version())
                + " (was " + (e.previousVersion() == null ? "nothing" : e.previousVersion()) + ")"
                + (e.deployId() == null ? "" : "  " + e.deployId())
                + (e.reason() == null ? "" : "  reason: " + e.reason())
                + "  by " + e.actor();
    }
}
