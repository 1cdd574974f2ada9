package tally.deploy;

import java.util.List;

/** {@code tally-deploy emr}: the Spark job ({@code spark/}) on Amazon EMR. */
final class EmrCommand {
    static final DeployCommand COMMAND = DeployCommand.group("emr",
            "Run the Spark job on Amazon EMR: publish its jar, submit it as a spark-submit step.",
            List.of(EmrPublishCommand.COMMAND, EmrRunCommand.COMMAND));

    private EmrCommand() {
    }
}
