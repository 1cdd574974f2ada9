package tally.deploy;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollback", description = "Release the environment's previous version again (same health gates).")
final class RollbackCommand implements Callable<Integer> {
    @ParentCommand
    DeployCli cli;

    @Option(names = "--env", required = true)
    String env;

    @Mixin
    ReleaseOptions options;

    @Override
    public Integer call() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            Release.Outcome outcome = cli.release(aws, env, options, progress).rollback(options.forceUnlock);
            cli.emit(outcome, Outcomes.text(outcome));
        }
        return 0;
    }
}
