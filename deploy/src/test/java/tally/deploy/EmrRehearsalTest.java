package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static tally.deploy.EmrFixtures.JSON;
import static tally.deploy.EmrFixtures.cluster;
import static tally.deploy.EmrFixtures.object;
import static tally.deploy.EmrFixtures.publish;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/** {@code emr run --rehearsal-dir}: the step moto records is run here, through spark/bin/tally-spark-local. */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class EmrRehearsalTest {
    private static final Path SPARK_JAR = Path.of("../spark/target/tally-spark.jar");
    private static final Path SPARK_LOCAL = Path.of("../spark/bin/tally-spark-local");

    @TempDir
    Path dir;

    @Test
    void the_rehearsal_runs_the_step_here_and_its_output_in_s3_is_tally_stats_byte_for_byte(MotoEmulator moto) throws Exception {
        requireBuilt(SPARK_JAR, SPARK_LOCAL, Path.of("../spark/target/classpath.txt"), ServiceJars.SERVICE_JAR);
        Path input = dir.resolve("bookmarks.jsonl");
        tally("generate", "--size", "1M", "--out", input.toString());
        tally("stats", input.toString(), "--out", dir.resolve("rows.tsv").toString(), "--summary", dir.resolve("summary.json").toString());
        Cli cli = new Cli(moto, "emr-rehearsal", dir.resolve("rehearsal"));
        publish(cli, "1.0.0", SPARK_JAR);
        try (AwsClients aws = cli.clients()) {
            aws.s3().putObject(b -> b.bucket("emr-rehearsal").key("in/bookmarks.jsonl"), RequestBody.fromFile(input));

            Cli.Run run = cli.run("emr", "run", "--create-cluster", "--version", "1.0.0", "--spark-local", SPARK_LOCAL.toString(),
                    "--input", "s3://emr-rehearsal/in/", "--output", "s3://emr-rehearsal/out/run-1", "--partitions", "3",
                    "--wait", "--wait-timeout", "5m", "--poll-interval", "200ms");

            assertThat(run.exit()).as(run.all()).isZero();
            assertThat(run.out()).contains("is the published jar", ": COMPLETED");
            List<String> keys = aws.s3().listObjectsV2(b -> b.bucket("emr-rehearsal").prefix("out/run-1/")).contents().stream()
                    .map(S3Object::key).toList();
            assertThat(keys).containsExactly("out/run-1/_SUCCESS", "out/run-1/part-00000", "out/run-1/part-00001",
                    "out/run-1/part-00002", "out/run-1/summary.json");
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            for (String part : keys.subList(1, 4)) {
                rows.writeBytes(aws.s3().getObjectAsBytes(b -> b.bucket("emr-rehearsal").key(part)).asByteArray());
            }
            assertThat(rows.toByteArray()).isEqualTo(Files.readAllBytes(dir.resolve("rows.tsv")));
            assertThat(aws.s3().getObjectAsBytes(b -> b.bucket("emr-rehearsal").key("out/run-1/summary.json")).asByteArray())
                    .isEqualTo(Files.readAllBytes(dir.resolve("summary.json")));
        }
    }

    @Test
    void the_rehearsal_fails_the_step_when_the_jar_in_s3_is_not_the_published_one(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-replaced", dir.resolve("rehearsal"));
        publish(cli, "1.0.0", Files.writeString(dir.resolve("job.jar"), "job"));
        try (AwsClients aws = cli.clients()) {
            aws.s3().putObject(b -> b.bucket("emr-replaced").key("releases/1.0.0/tally-spark.jar"), RequestBody.fromString("other bytes"));
            String clusterId = cluster(aws, null);

            Cli.Run run = cli.run("emr", "run", "--cluster-id", clusterId, "--version", "1.0.0", "--input", "s3://emr-replaced/in",
                    "--output", "s3://emr-replaced/out", "--wait", "--poll-interval", "200ms");

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.out()).contains(": FAILED - the step's jar s3://emr-replaced/releases/1.0.0/tally-spark.jar has sha256",
                    "not the published", "the cluster keeps no logs");
            assertThat(run.err()).contains("FAILED");
        }
    }

    @Test
    void the_rehearsal_refuses_an_existing_output_as_the_job_does(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-exists", dir.resolve("rehearsal"));
        publish(cli, "1.0.0", Files.writeString(dir.resolve("job.jar"), "job"));
        try (AwsClients aws = cli.clients()) {
            aws.s3().putObject(b -> b.bucket("emr-exists").key("out/part-00000"), RequestBody.fromString("old rows"));

            Cli.Run run = cli.run("--json", "emr", "run", "--create-cluster", "--version", "1.0.0", "--input", "s3://emr-exists/in",
                    "--output", "s3://emr-exists/out", "--wait", "--poll-interval", "200ms");

            assertThat(run.exit()).isEqualTo(1);
            JsonNode result = JSON.readTree(run.out());
            assertThat(result.path("state").asText()).isEqualTo("FAILED");
            assertThat(result.path("reason").asText()).isEqualTo("the output exists: s3://emr-exists/out (--overwrite replaces it once"
                    + " the new output is complete)");
            assertThat(object(aws, "emr-exists", "out/part-00000")).isEqualTo("old rows");
        }
    }

    @Test
    void the_rehearsal_fails_the_step_with_the_reason_when_it_cannot_run_it(MotoEmulator moto) throws Exception {
        Cli cli = new Cli(moto, "emr-unrunnable", dir.resolve("rehearsal"));
        publish(cli, "1.0.0", Files.writeString(dir.resolve("job.jar"), "job"));
        try (AwsClients aws = cli.clients()) {
            aws.s3().putObject(b -> b.bucket("emr-unrunnable").key("in/a.jsonl"), RequestBody.fromString("{}\n"));

            Cli.Run noInput = cli.run("emr", "run", "--create-cluster", "--version", "1.0.0", "--input", "s3://emr-unrunnable/none/",
                    "--output", "s3://emr-unrunnable/out", "--wait", "--poll-interval", "200ms");
            Cli.Run glob = cli.run("emr", "run", "--create-cluster", "--version", "1.0.0", "--input", "s3://emr-unrunnable/in/*.jsonl",
                    "--output", "s3://emr-unrunnable/out", "--wait", "--poll-interval", "200ms");
            Cli.Run noLauncher = cli.run("emr", "run", "--create-cluster", "--version", "1.0.0", "--input", "s3://emr-unrunnable/in/a.jsonl",
                    "--output", "s3://emr-unrunnable/out", "--spark-local", dir.resolve("missing").toString(), "--wait", "--poll-interval", "200ms");

            assertThat(noInput.exit()).isEqualTo(1);
            assertThat(noInput.err()).contains("FAILED: no input at s3://emr-unrunnable/none/");
            assertThat(glob.err()).contains("FAILED: the rehearsal copies an s3:// input by object or prefix, not by a glob");
            assertThat(noLauncher.err()).contains("FAILED: no launcher at " + dir.resolve("missing"));
            assertThat(aws.s3().listObjectsV2(b -> b.bucket("emr-unrunnable").prefix("out")).contents()).isEmpty();
        }
    }

    @Test
    void the_rehearsal_runs_only_spark_submit_steps_of_the_stats_job(MotoEmulator moto) throws Exception {
        try (AwsClients aws = new Cli(moto, "emr-other", null).clients()) {
            String clusterId = cluster(aws, null);
            String copy = aws.emr().addJobFlowSteps(b -> b.jobFlowId(clusterId).steps(s -> s.name("copy")
                    .hadoopJarStep(j -> j.jar("command-runner.jar").args("s3-dist-cp", "--src", "hdfs:///x", "--dest", "s3://b/x")))).stepIds().get(0);
            String custom = aws.emr().addJobFlowSteps(b -> b.jobFlowId(clusterId).steps(s -> s.name("custom")
                    .hadoopJarStep(j -> j.jar("s3://b/own.jar").args("x")))).stepIds().get(0);
            RehearsalStepHost host = new RehearsalStepHost(dir.resolve("rehearsal"), new EmrSteps(aws.emr()), aws.s3(), JSON,
                    SPARK_LOCAL, Duration.ofMinutes(1), new Progress(new PrintWriter(Writer.nullWriter())));

            host.submitted(clusterId, copy);
            host.submitted(clusterId, custom);

            assertThat(host.state(clusterId, copy)).isEqualTo(new StepState("FAILED", "not a spark-submit command: [s3-dist-cp, --src,"
                    + " hdfs:///x, --dest, s3://b/x]", null));
            assertThat(host.state(clusterId, custom).reason()).isEqualTo("the step runs s3://b/own.jar: the rehearsal runs spark-submit"
                    + " steps of command-runner.jar only");
        }
    }

    private static void requireBuilt(Path... files) {
        for (Path file : files) {
            if (!Files.exists(file)) {
                throw new IllegalStateException(file.toAbsolutePath() + " is missing: mvn -pl service,spark -am package -DskipTests");
            }
        }
    }

    /** {@code tally COMMAND...} from the service jar, as a person runs it. */
    private void tally(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ServiceJars.SERVICE_JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("tally.log").toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("tally %s finished", args[0]).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("tally.log"))).isZero();
    }
}
