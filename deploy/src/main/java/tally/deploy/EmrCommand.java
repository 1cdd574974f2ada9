package tally.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code tally-deploy emr}: the Spark job ({@code spark/}) on Amazon EMR. */
@Command(name = "emr", description = "Run the Spark job on Amazon EMR: publish its jar, submit it as a spark-submit step.",
        subcommands = {EmrPublishCommand.class, EmrRunCommand.class})
final class EmrCommand {
    @ParentCommand
    DeployCli cli;
}
