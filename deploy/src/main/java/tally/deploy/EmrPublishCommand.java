package tally.deploy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "publish", description = "Upload the Spark job jar as s3://BUCKET/releases/V/tally-spark.jar with its sha256."
        + " Other bytes under a published version are refused.")
final class EmrPublishCommand implements Callable<Integer> {
    @ParentCommand
    EmrCommand emr;

    @Option(names = "--version", required = true, description = "Release version, e.g. 1.4.0 or a commit id")
    String version;

    @Option(names = "--jar", defaultValue = "spark/target/tally-spark.jar", description = "The job jar (default ${DEFAULT-VALUE})")
    Path jar;

    @Override
    public Integer call() {
        return PublishCommand.publish(emr.cli, ReleaseStore.Artifact.SPARK_JOB, version, jar);
    }
}
