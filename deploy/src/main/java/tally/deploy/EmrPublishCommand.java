package tally.deploy;

import java.util.List;
import tally.cli.CommandArgs.Option;

/** {@code emr publish}: the Spark job's jar as a release, beside the service's. */
final class EmrPublishCommand {
    static final Option VERSION = Option.value("--version", "V", "Release version, e.g. 1.4.0 or a commit id");
    static final Option JAR = Option.value("--jar", "FILE", "The job jar").withDefault("spark/target/tally-spark.jar");

    static final DeployCommand COMMAND = DeployCommand.of("publish", "--version V [--jar FILE]",
            "Upload the Spark job jar as s3://BUCKET/releases/V/tally-spark.jar with its sha256."
                    + " Other bytes under a published version are refused.", List.of(VERSION, JAR),
            (cli, args) -> PublishCommand.publish(cli, ReleaseStore.Artifact.SPARK_JOB, args.required(VERSION), args.path(JAR)));

    private EmrPublishCommand() {
    }
}
