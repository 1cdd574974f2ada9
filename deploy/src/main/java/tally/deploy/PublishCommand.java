package tally.deploy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "publish", description = "Upload the service jar as release V (s3://BUCKET/releases/V/) with its sha256.")
final class PublishCommand implements Callable<Integer> {
    @ParentCommand
    DeployCli cli;

    @Option(names = "--version", required = true, description = "Release version, e.g. 1.4.0 or a commit id")
    String version;

    @Option(names = "--jar", defaultValue = "service/target/tally.jar", description = "The jar to publish (default ${DEFAULT-VALUE})")
    Path jar;

    @Override
    public Integer call() {
        return publish(cli, ReleaseStore.Artifact.SERVICE, version, jar);
    }

    /** Publishes {@code jar} as {@code artifact} of release {@code version} and prints what it did. */
    static int publish(DeployCli cli, ReleaseStore.Artifact artifact, String version, Path jar) {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            ReleaseStore store = new ReleaseStore(aws.s3(), aws.presigner(), cli.bucket(), cli.mapper, artifact);
            ReleaseStore.Published published = progress.step("publish " + version + " from " + jar,
                    () -> AwsErrors.during("publish " + version, () -> store.publish(version, jar)));
            ReleaseManifest m = published.manifest();
            cli.emit(published, (published.uploaded() ? "published " : "already published (same bytes) ")
                    + m.version() + " to s3://" + store.bucket() + "/" + m.key() + " sha256 " + m.sha256() + " (" + m.size() + " bytes)");
        }
        return 0;
    }
}
