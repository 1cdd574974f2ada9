package tally.deploy;

import java.util.List;
import java.util.stream.Collectors;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** {@code history}: what happened to an environment. */
final class HistoryCommand {
    static final Option LIMIT = Option.value("--limit", "N", "Show the last N entries").withDefault(50);

    static final DeployCommand COMMAND = DeployCommand.of("history", "--env ENV [--limit N]",
            "Releases, rollbacks and failures of the environment, oldest first.", List.of(DeployCli.ENV, LIMIT),
            (cli, args) -> new HistoryCommand(cli, args).run());

    private final DeployCli cli;
    private final String env;
    private final int limit;

    private HistoryCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        env = args.required(DeployCli.ENV);
        limit = args.intValue(LIMIT, 0, Integer.MAX_VALUE);
    }

    private int run() {
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
