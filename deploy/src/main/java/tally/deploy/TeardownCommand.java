package tally.deploy;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "teardown", description = "Remove every resource tagged for the environment: instances, address, security group.")
final class TeardownCommand implements Callable<Integer> {
    @ParentCommand
    DeployCli cli;

    @Option(names = "--env", required = true)
    String env;

    @Mixin
    ReleaseOptions options;

    @Option(names = "--delete-data", description = "Also delete the environment's datasets (kept by default)")
    boolean deleteData;

    @Override
    public Integer call() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            Release.Outcome outcome = cli.release(aws, env, options, progress).teardown(options.forceUnlock, deleteData);
            cli.emit(outcome, Outcomes.text(outcome));
        }
        return 0;
    }
}
