package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/** What the EMR tests share: a published job jar and a long-running cluster, in moto. */
final class EmrFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private EmrFixtures() {
    }

    static void publish(Cli cli, String version, Path jar) {
        Cli.Run run = cli.run("emr", "publish", "--version", version, "--jar", jar.toString());
        assertThat(run.exit()).as(run.all()).isZero();
    }

    /** A cluster as a team keeps one: WAITING, no steps. moto runs the first step added for ever. */
    static String cluster(AwsClients aws, String logUri) {
        return aws.emr().runJobFlow(b -> b.name("shared").releaseLabel("emr-7.10.0").logUri(logUri)
                .instances(i -> i.masterInstanceType("m6i.xlarge").instanceCount(1).keepJobFlowAliveWhenNoSteps(true))
                .serviceRole("EMR_DefaultRole").jobFlowRole("EMR_EC2_DefaultRole")).jobFlowId();
    }

    static String object(AwsClients aws, String bucket, String key) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }
}
