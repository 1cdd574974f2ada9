package tally.deploy;

import tally.cli.CommandArgs;
import tally.cli.CommandArgs.UsageException;

/** {@code rollback}: the previous successful version, released again. */
final class RollbackCommand {
    static final DeployCommand COMMAND = DeployCommand.of("rollback", "--env ENV [OPTIONS]",
            "Release the environment's previous version again (same health gates).", ReleaseOptions.after(DeployCli.ENV),
            (cli, args) -> new RollbackCommand(cli, args).run());

    private final DeployCli cli;
    private final String env;
    private final ReleaseOptions options;

    private RollbackCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        env = args.required(DeployCli.ENV);
        options = new ReleaseOptions(args);
    }

    private int run() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            Release.Outcome outcome = cli.release(aws, env, options, progress).rollback(options.forceUnlock);
            cli.emit(outcome, Outcomes.text(outcome));
        }
        return 0;
    }
}
