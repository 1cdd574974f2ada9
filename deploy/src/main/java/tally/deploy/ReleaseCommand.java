package tally.deploy;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "release", description = "Blue/green: launch a new fleet for V, gate it on health, move the address, retire the old fleet.")
final class ReleaseCommand implements Callable<Integer> {
    @ParentCommand
    DeployCli cli;

    @Option(names = "--env", required = true, description = "Environment, e.g. staging")
    String env;

    @Option(names = "--version", required = true, description = "A published version")
    String version;

    @Option(names = "--count", defaultValue = "1", description = "Instances in the new fleet (default ${DEFAULT-VALUE})")
    int count;

    @Mixin
    ReleaseOptions options;

    @Override
    public Integer call() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            Release.Outcome outcome = cli.release(aws, env, options, progress).release(version, count, options.forceUnlock);
            cli.emit(outcome, Outcomes.text(outcome));
        }
        return 0;
    }
}
