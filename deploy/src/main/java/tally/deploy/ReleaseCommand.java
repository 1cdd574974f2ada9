package tally.deploy;

import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** {@code release}: blue/green to a published version. */
final class ReleaseCommand {
    static final Option VERSION = Option.value("--version", "V", "A published version");
    static final Option COUNT = Option.value("--count", "N", "Instances in the new fleet").withDefault(1);

    static final DeployCommand COMMAND = DeployCommand.of("release", "--env ENV --version V [OPTIONS]",
            "Blue/green: launch a new fleet for V, gate it on health, move the address, retire the old fleet.",
            ReleaseOptions.after(DeployCli.ENV, VERSION, COUNT), (cli, args) -> new ReleaseCommand(cli, args).run());

    private final DeployCli cli;
    private final String env;
    private final String version;
    private final int count;
    private final ReleaseOptions options;

    private ReleaseCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        env = args.required(DeployCli.ENV);
        version = args.required(VERSION);
        count = args.intValue(COUNT);
        options = new ReleaseOptions(args);
    }

    private int run() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            Release.Outcome outcome = cli.release(aws, env, options, progress).release(version, count, options.forceUnlock);
            cli.emit(outcome, Outcomes.text(outcome));
        }
        return 0;
    }
}
