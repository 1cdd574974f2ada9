package tally.deploy;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code tally-deploy emr}: the Spark job ({@code spark/}) on Amazon EMR. */
@Command(name = "emr", description = "The Spark job on Amazon EMR: publish its jar.", subcommands = EmrPublishCommand.class)
final class EmrCommand {
    @ParentCommand
    DeployCli cli;
}
