package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.deploy.EmrFixtures.JSON;
import static tally.deploy.EmrFixtures.cluster;
import static tally.deploy.EmrFixtures.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepSummary;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/** {@code emr run} against moto, which records clusters and steps and runs none: its first step stays RUNNING for ever. */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class EmrRunTest {
    @TempDir
    Path dir;

    @Test
    void emr_run_adds_a_spark_submit_step_that_runs_the_published_jar(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-steps", null);
        publish(cli, "2.0.0", Files.writeString(dir.resolve("job.jar"), "job"));
        try (AwsClients aws = cli.clients()) {
            String clusterId = cluster(aws, "s3://emr-steps/logs");

            Cli.Run run = cli.run("--json", "emr", "run", "--cluster-id", clusterId, "--version", "2.0.0",
                    "--input", "s3://data/bookmarks/", "--output", "s3://data/tally/run-1", "--partitions", "400",
                    "--conf", "spark.driver.memory=8g");

            assertThat(run.exit()).as(run.all()).isZero();
            JsonNode result = JSON.readTree(run.out());
            String stepId = result.path("stepId").asText();
            Step step = aws.emr().describeStep(b -> b.clusterId(clusterId).stepId(stepId)).step();
            List<String> args = List.of("spark-submit", "--deploy-mode", "cluster", "--class", "tally.spark.SparkStatsJob",
                    "--conf", "spark.driver.memory=8g", "s3://emr-steps/releases/2.0.0/tally-spark.jar",
                    "s3://data/bookmarks/", "s3://data/tally/run-1", "--partitions", "400");
            assertThat(step.config().jar()).isEqualTo("command-runner.jar");
            assertThat(step.config().args()).isEqualTo(args);
            assertThat(step.actionOnFailureAsString()).as("someone's cluster is neither ended nor its queue cancelled").isEqualTo("CONTINUE");
            assertThat(step.name()).isEqualTo("tally stats 2.0.0");
            assertThat(result.path("outcome").asText()).isEqualTo("submitted");
            assertThat(result.path("logs").asText()).isEqualTo("s3://emr-steps/logs/" + clusterId + "/steps/" + stepId + "/");
        }
    }

    @Test
    void emr_run_create_cluster_starts_a_spark_cluster_that_ends_with_its_step(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-oneshot", null);
        publish(cli, "3.0.0", Files.writeString(dir.resolve("job.jar"), "job"));

        Cli.Run run = cli.run("--json", "emr", "run", "--create-cluster", "--version", "3.0.0", "--instance-count", "5",
                "--instance-type", "m6i.2xlarge", "--input", "s3://data/in.jsonl", "--output", "s3://data/out");

        assertThat(run.exit()).as(run.all()).isZero();
        JsonNode result = JSON.readTree(run.out());
        try (AwsClients aws = cli.clients()) {
            Cluster cluster = aws.emr().describeCluster(b -> b.clusterId(result.path("clusterId").asText())).cluster();
            assertThat(cluster.releaseLabel()).isEqualTo("emr-7.10.0");
            assertThat(cluster.applications()).anySatisfy(a -> assertThat(a.name()).isEqualTo("Spark"));
            assertThat(cluster.tags()).anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("app=tally"));
            assertThat(cluster.autoTerminate()).as("KeepJobFlowAliveWhenNoSteps=false").isTrue();
            assertThat(cluster.serviceRole()).isEqualTo("EMR_DefaultRole");
            assertThat(cluster.ec2InstanceAttributes().iamInstanceProfile()).isEqualTo("EMR_EC2_DefaultRole");
            assertThat(cluster.logUri()).isEqualTo("s3://emr-oneshot/emr/logs/");
            List<StepSummary> steps = aws.emr().listSteps(b -> b.clusterId(cluster.id())).steps();
            assertThat(steps).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo(result.path("stepId").asText());
                assertThat(s.config().args()).containsSubsequence("s3://emr-oneshot/releases/3.0.0/tally-spark.jar", "s3://data/in.jsonl", "s3://data/out");
                assertThat(s.actionOnFailureAsString()).isEqualTo("TERMINATE_CLUSTER");
            });
        }
    }

    @Test
    void emr_run_refuses_a_version_without_a_published_job_jar(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-unpublished", null);
        publish(cli, "1.0.0", Files.writeString(dir.resolve("job.jar"), "job"));
        try (AwsClients aws = cli.clients()) {
            String clusterId = cluster(aws, null);

            Cli.Run run = cli.run("emr", "run", "--cluster-id", clusterId, "--version", "9.9.9", "--input", "s3://d/i", "--output", "s3://d/o");

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains("version 9.9.9 is not published", "tally-deploy emr publish --version 9.9.9");
            assertThat(aws.emr().listSteps(b -> b.clusterId(clusterId)).steps()).isEmpty();
        }
    }

    @Test
    void wait_gives_up_at_its_time_limit_on_a_step_that_never_ends(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-wait", null);
        publish(cli, "1.0.0", Files.writeString(dir.resolve("job.jar"), "job"));
        try (AwsClients aws = cli.clients()) {
            String clusterId = cluster(aws, "s3://emr-wait/logs/");

            Cli.Run run = cli.run("--json", "emr", "run", "--cluster-id", clusterId, "--version", "1.0.0", "--input", "s3://d/i",
                    "--output", "s3://d/o", "--wait", "--wait-timeout", "1s", "--poll-interval", "200ms");

            assertThat(run.exit()).as(run.all()).isEqualTo(1);
            JsonNode result = JSON.readTree(run.out());
            String stepId = result.path("stepId").asText();
            assertThat(result.path("outcome").asText()).isEqualTo("timed-out");
            assertThat(result.path("state").asText()).isEqualTo("RUNNING");
            assertThat(run.err()).contains("step " + stepId + " on " + clusterId + " still RUNNING: gave up waiting after 1s (--wait-timeout)",
                    "aws emr cancel-steps --cluster-id " + clusterId + " --step-ids " + stepId);
            assertThat(result.path("logs").asText()).isEqualTo("s3://emr-wait/logs/" + clusterId + "/steps/" + stepId + "/");
        }
    }
}
