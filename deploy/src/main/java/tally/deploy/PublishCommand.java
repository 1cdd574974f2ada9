package tally.deploy;

import java.nio.file.Path;
import java.util.List;
import tally.cli.CommandArgs.Option;

/** {@code publish}: the service jar as a release. */
final class PublishCommand {
    static final Option VERSION = Option.value("--version", "V", "Release version, e.g. 1.4.0 or a commit id");
    static final Option JAR = Option.value("--jar", "FILE", "The jar to publish").withDefault("service/target/tally.jar");

    static final DeployCommand COMMAND = DeployCommand.of("publish", "--version V [--jar FILE]",
            "Upload the service jar as release V (s3://BUCKET/releases/V/) with its sha256.", List.of(VERSION, JAR),
            (cli, args) -> publish(cli, ReleaseStore.Artifact.SERVICE, args.required(VERSION), args.path(JAR)));

    private PublishCommand() {
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
