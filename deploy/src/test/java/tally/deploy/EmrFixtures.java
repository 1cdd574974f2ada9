package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/** What the EMR tests share: a published job jar, in moto. */
final class EmrFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private EmrFixtures() {
    }

    static void publish(Cli cli, String version, Path jar) {
        Cli.Run run = cli.run("emr", "publish", "--version", version, "--jar", jar.toString());
        assertThat(run.exit()).as(run.all()).isZero();
    }

    static String object(AwsClients aws, String bucket, String key) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }
}
