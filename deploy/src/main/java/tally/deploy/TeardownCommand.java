package tally.deploy;

import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** {@code teardown}: everything of an environment but its datasets, unless asked. */
final class TeardownCommand {
    static final Option DELETE_DATA = Option.flag(null, "--delete-data",
            "Also delete the environment's datasets (kept by default)");

    static final DeployCommand COMMAND = DeployCommand.of("teardown", "--env ENV [--delete-data] [OPTIONS]",
            "Remove every resource tagged for the environment: instances, address, security group.",
            ReleaseOptions.after(DeployCli.ENV, DELETE_DATA), (cli, args) -> new TeardownCommand(cli, args).run());

    private final DeployCli cli;
    private final String env;
    private final ReleaseOptions options;
    private final boolean deleteData;

    private TeardownCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        env = args.required(DeployCli.ENV);
        options = new ReleaseOptions(args);
        deleteData = args.has(DELETE_DATA);
    }

    private int run() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            Release.Outcome outcome = cli.release(aws, env, options, progress).teardown(options.forceUnlock, deleteData);
            cli.emit(outcome, Outcomes.text(outcome));
        }
        return 0;
    }
}
