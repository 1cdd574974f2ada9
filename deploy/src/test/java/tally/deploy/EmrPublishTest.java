package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.deploy.EmrFixtures.JSON;
import static tally.deploy.EmrFixtures.object;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

@Tag("deploy")
@ExtendWith(MotoServer.class)
class EmrPublishTest {
    @TempDir
    Path dir;

    @Test
    void emr_publish_puts_the_job_jar_beside_the_service_jar_and_refuses_other_bytes(MotoEmulator moto) throws Exception {
        Path job = Files.writeString(dir.resolve("tally-spark.jar"), "job one");
        Path other = Files.writeString(dir.resolve("other.jar"), "job two");
        Path service = Files.writeString(dir.resolve("tally.jar"), "service one");
        Cli cli = new Cli(moto, "emr-publish", null);

        Cli.Run first = cli.run("emr", "publish", "--version", "1.0.0", "--jar", job.toString());
        Cli.Run same = cli.run("emr", "publish", "--version", "1.0.0", "--jar", job.toString());
        Cli.Run different = cli.run("--json", "emr", "publish", "--version", "1.0.0", "--jar", other.toString());
        Cli.Run serviceJar = cli.run("publish", "--version", "1.0.0", "--jar", service.toString());

        assertThat(first.exit()).as(first.all()).isZero();
        assertThat(first.out()).contains("published 1.0.0 to s3://emr-publish/releases/1.0.0/tally-spark.jar", ReleaseStore.sha256(job));
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("already published (same bytes)");
        assertThat(different.exit()).isEqualTo(1);
        assertThat(different.err()).contains("tally-deploy emr publish: version 1.0.0 is already published", "immutable");
        assertThat(JSON.readTree(different.out()).path("outcome").asText()).isEqualTo("failed");
        assertThat(serviceJar.exit()).as("the service jar of the same version is another object").isZero();
        try (AwsClients aws = cli.clients()) {
            assertThat(object(aws, "emr-publish", "releases/1.0.0/tally-spark.jar")).isEqualTo("job one");
            assertThat(JSON.readTree(object(aws, "emr-publish", "releases/1.0.0/tally-spark.manifest.json")).path("sha256").asText())
                    .isEqualTo(ReleaseStore.sha256(job));
            assertThat(object(aws, "emr-publish", "releases/1.0.0/tally.jar")).isEqualTo("service one");
        }
    }
}
