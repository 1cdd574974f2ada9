package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Instance;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * One environment through its life, rehearsed: moto for EC2 and S3, each instance's user-data run locally
 * with the real service jar. The steps build on each other (v1, then v2, then a broken v3, ...), so they
 * run in order.
 */
@Tag("deploy")
@ExtendWith(MotoServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseLifecycleTest {
    private static final String BUCKET = "lifecycle";
    private static final String ENV = "staging";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path dir;

    private static MotoEmulator emulator;
    private static Cli cli;
    private static AwsClients aws;
    private static RehearsalHost host;
    private static Fleet fleet;
    private static List<String> v1Instances;
    /** The write token made for the environment in the first step. */
    private static String ciToken;
    /** A dataset uploaded to v1: every later release must still serve it. */
    private static String datasetId;
    private static final String DATASET = "{\"id\":\"a\",\"updated\":\"Mon, 07 Sep 2009 01:02:03 +0000\","
            + "\"tags\":[{\"term\":\"abc\"}]}\n";
    private static final String DATA_PREFIX = "data/" + ENV + "/";

    @BeforeAll
    static void publish(MotoEmulator moto) throws Exception {
        emulator = moto;
        cli = new Cli(moto, BUCKET, dir.resolve("rehearsal"));
        aws = cli.clients();
        host = cli.host(aws);
        fleet = new Fleet(aws.ec2(), ENV, Duration.ofMillis(200));
        for (Path jar : List.of(ServiceJars.withVersion(dir, "v1"), ServiceJars.withVersion(dir, "v2"), ServiceJars.broken(dir, "v3"))) {
            String version = jar.getFileName().toString().replaceAll("tally-(v\\d).*", "$1");
            Cli.Run run = cli.run("publish", "--version", version, "--jar", jar.toString());
            assertThat(run.exit()).as(run.all()).isZero();
        }
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.stopAll();
        }
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    @Order(1)
    void release_v1_on_two_instances_serves_v1_through_the_stable_address() throws Exception {
        Cli.Run run = cli.run(Cli.fast("release", "--env", ENV, "--version", "v1", "--count", "2"));

        assertThat(run.exit()).as(run.all()).isZero();
        List<Instance> instances = fleet.instances();
        assertThat(instances).hasSize(2).allSatisfy(i -> {
            assertThat(Fleet.tag(i, "version")).isEqualTo("v1");
            assertThat(Fleet.tag(i, "read-access")).isEqualTo("public");
            assertThat(Fleet.tag(i, "app")).isEqualTo("tally");
            assertThat(Fleet.tag(i, "deploy-id")).isNotBlank();
            assertThat(versionAt(host.endpoint(i))).isEqualTo("v1");
        });
        assertThat(versionThroughAddress()).isEqualTo("v1");
        assertThat(run.out()).contains("health gate", "done in", "data store s3://" + BUCKET + "/" + DATA_PREFIX);
        v1Instances = instances.stream().map(Instance::instanceId).toList();

        // The instances keep datasets in the env's prefix, through a tagged instance profile limited to it.
        assertThat(aws.iam().getInstanceProfile(b -> b.instanceProfileName("tally-" + ENV)).instanceProfile().roles())
                .extracting(r -> r.roleName()).containsExactly("tally-" + ENV + "-instance");
        assertThat(aws.iam().listRoleTags(b -> b.roleName("tally-" + ENV + "-instance")).tags())
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("env=" + ENV));
        assertThat(java.net.URLDecoder.decode(aws.iam().getRolePolicy(b -> b.roleName("tally-" + ENV + "-instance")
                .policyName("tally-data-store")).policyDocument(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("arn:aws:s3:::" + BUCKET + "/" + DATA_PREFIX + "*").doesNotContain("releases");
        assertThat(aws.s3().getBucketLifecycleConfiguration(b -> b.bucket(BUCKET)).rules())
                .anySatisfy(r -> assertThat(r.abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(1));
        assertThat(java.net.URLDecoder.decode(aws.iam().getRolePolicy(b -> b.roleName("tally-" + ENV + "-instance")
                .policyName("tally-data-store")).policyDocument(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("arn:aws:s3:::" + BUCKET + "/envs/" + ENV + "/tokens");

        // Writes are closed until the environment has a token; one made now counts without a release.
        assertThat(upload(null).statusCode()).isEqualTo(401);
        Cli.Run token = cli.run("token", "create", "--env", ENV, "--name", "ci", "--wait");
        assertThat(token.exit()).as(token.all()).isZero();
        assertThat(token.err()).contains("shown this once", "within 5 s");
        for (Instance instance : fleet.instances()) {
            assertThat(token.err()).contains(instance.instanceId() + " accepts it");
        }
        ciToken = token.out().strip();
        assertThat(ciToken).startsWith("tally_").hasSize("tally_".length() + 43);
        HttpResponse<String> created = upload(ciToken);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        datasetId = JSON.readTree(created.body()).path("id").asText();
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(DATA_PREFIX + "meta/")).contents()).hasSize(1);
    }

    @Test
    @Order(2)
    void release_v2_leaves_only_v2_behind_the_address_and_terminates_v1() throws Exception {
        // Reads close too from v2 on; later releases and the rollback keep that without being told.
        Cli.Run run = cli.run(Cli.fast("release", "--env", ENV, "--version", "v2", "--count", "2", "--read-access", "token"));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(fleet.instances()).hasSize(2).allSatisfy(i -> assertThat(Fleet.tag(i, "version")).isEqualTo("v2"));
        assertThat(versionThroughAddress()).isEqualTo("v2");
        assertThat(fleet.describe(v1Instances)).allSatisfy(i ->
                assertThat(i.state().nameAsString()).isIn("shutting-down", "terminated"));
        assertThat(host.running()).hasSize(2);
        assertThat(rowsThroughAddress(ciToken)).as("the dataset uploaded to v1, served by v2").startsWith("a\tMon\tSep\t2009");
        assertThat(rowsStatus(null)).as("an anonymous read of v2").isEqualTo(401);
        assertThat(fleet.instances()).allSatisfy(i -> assertThat(Fleet.tag(i, "read-access")).isEqualTo("token"));
    }

    @Test
    @Order(3)
    void releasing_the_live_healthy_version_again_is_a_no_op() {
        List<String> before = ids(fleet.instances());

        Cli.Run run = cli.run(Cli.fast("release", "--env", ENV, "--version", "v2", "--count", "2"));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("reads: token, as the live release has them", "nothing to do", "release no-op");
        assertThat(ids(fleet.instances())).isEqualTo(before);
    }

    @Test
    @Order(4)
    void a_broken_v3_is_rolled_back_automatically_and_v2_keeps_serving() throws Exception {
        List<String> before = ids(fleet.instances());

        Cli.Run run = cli.run(Cli.fast("release", "--env", ENV, "--version", "v3", "--count", "1", "--health-timeout", "6s"));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("release of v3 to staging failed", "last answers", "unreachable", "v2 keeps serving");
        assertThat(versionThroughAddress()).isEqualTo("v2");
        assertThat(ids(fleet.instances())).isEqualTo(before);
        assertThat(host.running()).hasSize(2);
        HistoryEntry last = history().get(history().size() - 1);
        assertThat(last.action()).isEqualTo("release");
        assertThat(last.outcome()).isEqualTo("failed");
        assertThat(last.version()).isEqualTo("v3");
        assertThat(last.previousVersion()).isEqualTo("v2");
        assertThat(last.reason()).contains("health gate", "within 6s");
        assertThat(last.lastHealth()).isNotEmpty().allSatisfy(h -> assertThat(h).contains("unreachable"));
    }

    @Test
    @Order(5)
    void smoke_checks_the_live_release_through_the_stable_address() {
        Cli.Run run = cli.run(Cli.fast("smoke", "--env", ENV));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("ok    GET /healthz", "ok    GET /readyz", "version v2",
                "ok    POST /api/datasets without a token: HTTP 401", "ok    new token smoke-", "ok    POST /api/datasets:",
                "ok    DELETE /api/datasets/");
        assertThat(new EnvTokens(aws.s3(), BUCKET, ENV).list()).extracting(EnvTokens.Entry::name).containsExactly("ci");
    }

    @Test
    @Order(6)
    void a_token_revoked_is_refused_by_the_running_instances_without_a_release() throws Exception {
        Cli.Run listed = cli.run("--json", "token", "list", "--env", ENV);
        assertThat(listed.exit()).as(listed.all()).isZero();
        assertThat(JSON.readTree(listed.out()).findValuesAsText("name")).containsExactly("ci");
        assertThat(listed.out()).doesNotContain(ciToken);
        List<String> before = ids(fleet.instances());

        Cli.Run revoked = cli.run("token", "revoke", "--env", ENV, "--name", "ci");

        assertThat(revoked.exit()).as(revoked.all()).isZero();
        awaitCondition(Duration.ofSeconds(30), Duration.ofMillis(500), () -> listWith(ciToken) == 401);
        assertThat(upload(ciToken).statusCode()).isEqualTo(401);
        assertThat(ids(fleet.instances())).isEqualTo(before);
        Cli.Run again = cli.run("token", "revoke", "--env", ENV, "--name", "ci");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("has no token named ci");
    }

    @Test
    @Order(7)
    void status_and_history_describe_the_environment() throws Exception {
        Cli.Run status = cli.run(Cli.fast("--json", "status", "--env", ENV));
        Cli.Run history = cli.run("--json", "history", "--env", ENV);

        assertThat(status.exit()).as(status.all()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.path("liveVersion").asText()).isEqualTo("v2");
        assertThat(s.path("instances")).hasSize(2);
        assertThat(s.path("instances").findValuesAsText("health")).allSatisfy(h -> assertThat(h).isEqualTo("ready, version v2"));
        assertThat(versionAt(URI.create(s.path("url").asText()))).isEqualTo("v2");
        assertThat(s.path("data").asText()).isEqualTo("s3://" + BUCKET + "/" + DATA_PREFIX);
        assertThat(s.path("readAccess").asText()).isEqualTo("token");
        assertThat(s.path("tokens").asInt(-1)).as("ci was revoked, smoke's own token too").isZero();
        for (JsonNode instance : s.path("instances")) {
            assertThat(versionAt(URI.create(instance.path("url").asText()))).isEqualTo("v2");
        }
        assertThat(history.exit()).isZero();
        assertThat(JSON.readTree(history.out()).findValuesAsText("action"))
                .containsExactly("release", "token-create", "release", "release", "token-revoke");
        assertThat(JSON.readTree(history.out()).findValuesAsText("outcome"))
                .containsExactly("succeeded", "succeeded", "succeeded", "failed", "succeeded");
    }

    @Test
    @Order(8)
    void a_release_stopped_with_sigterm_terminates_its_instances_and_unlocks() throws Exception {
        List<String> before = ids(fleet.instances());
        // A separate JVM, as a CI timeout would kill it: same classes, same arguments as the in-process runs.
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), DeployCli.class.getName()));
        command.addAll(List.of("--endpoint-url", emulator.endpoint().toString(), "--bucket", BUCKET, "--rehearsal-dir", dir.resolve("rehearsal").toString()));
        command.addAll(List.of(Cli.fast("release", "--env", ENV, "--version", "v3", "--health-timeout", "120s")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("sigterm.log").toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", "tally-test");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "tally-test");
        Process release = builder.start();
        try {
            awaitCondition(Duration.ofSeconds(60), () -> java.nio.file.Files.readString(dir.resolve("sigterm.log")).contains("health gate:"));
        } finally {
            release.destroy();
            assertThat(release.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        String log = java.nio.file.Files.readString(dir.resolve("sigterm.log"));
        assertThat(release.exitValue()).as(log).isNotZero();
        assertThat(log).contains("interrupted: terminate the new instances", "interrupted: unlock staging");
        assertThat(ids(fleet.instances())).isEqualTo(before);
        assertThat(versionThroughAddress()).isEqualTo("v2");
        assertThat(host.running()).hasSize(2);
        assertThat(history().get(history().size() - 1).outcome()).isEqualTo("interrupted");
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(EnvLock.key(ENV))).contents()).isEmpty();
    }

    @Test
    @Order(9)
    void plan_prints_the_calls_with_dry_runs_and_changes_nothing() throws Exception {
        String before = snapshot();

        Cli.Run release = cli.run(Cli.fast("plan", "release", "--env", ENV, "--version", "v1", "--count", "2"));
        Cli.Run teardown = cli.run(Cli.fast("plan", "teardown", "--env", ENV));

        assertThat(release.exit()).as(release.all()).isZero();
        assertThat(release.out()).contains("EC2 RunInstances 2 x", "DryRun: would succeed", "EC2 TerminateInstances", "EC2 AssociateAddress",
                "IAM CreateRole tally-" + ENV + "-instance", "role exists", "PutBucketLifecycleConfiguration",
                "port 8080 reachable from 0.0.0.0/0; reads need a token (as the live release; --read-access changes it)",
                "open to the internet, which is normal for a public service since"
                        + " writes need a token", "no token yet: nobody can write until tally-deploy token create");
        assertThat(teardown.exit()).as(teardown.all()).isZero();
        assertThat(teardown.out()).contains("EC2 TerminateInstances", "EC2 ReleaseAddress", "EC2 DeleteSecurityGroup");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(10)
    void rollback_returns_to_the_previous_release() throws Exception {
        Cli.Run run = cli.run(Cli.fast("rollback", "--env", ENV));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(versionThroughAddress()).isEqualTo("v1");
        assertThat(fleet.instances()).hasSize(2).allSatisfy(i -> assertThat(Fleet.tag(i, "version")).isEqualTo("v1"));
        HistoryEntry last = history().get(history().size() - 1);
        assertThat(fleet.instances()).allSatisfy(i -> assertThat(Fleet.tag(i, "read-access")).isEqualTo("token"));
        assertThat(last.action()).isEqualTo("rollback");
        assertThat(last.outcome()).isEqualTo("succeeded");
        assertThat(last.previousVersion()).isEqualTo("v2");
    }

    @Test
    @Order(11)
    void teardown_leaves_nothing_tagged_for_the_env_and_no_process_running() {
        Cli.Run run = cli.run(Cli.fast("teardown", "--env", ENV));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(fleet.instances()).isEmpty();
        assertThat(fleet.address()).isEmpty();
        assertThat(fleet.securityGroup()).isEmpty();
        assertThat(host.running()).isEmpty();
        assertThat(history().get(history().size() - 1).action()).isEqualTo("teardown");
        assertThat(run.out()).contains("datasets kept at s3://" + BUCKET + "/" + DATA_PREFIX, "--delete-data");
        assertThat(aws.s3().headObject(b -> b.bucket(BUCKET).key(DATA_PREFIX + "meta/" + datasetId + ".json"))).isNotNull();
        assertThat(aws.iam().listInstanceProfiles().instanceProfiles()).noneMatch(p -> p.instanceProfileName()
                .equals("tally-" + ENV));
    }

    @Test
    @Order(12)
    void an_environment_released_again_after_a_teardown_serves_its_datasets_until_they_are_deleted() throws Exception {
        Cli.Run release = cli.run(Cli.fast("release", "--env", ENV, "--version", "v2", "--count", "1"));
        assertThat(release.exit()).as(release.all()).isZero();
        assertThat(rowsThroughAddress(null)).as("a new environment: reads public again").startsWith("a\tMon\tSep\t2009");

        List<String> keys = aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(DATA_PREFIX)).contents().stream()
                .map(o -> o.key()).toList();
        Cli.Run teardown = cli.run(Cli.fast("teardown", "--env", ENV, "--delete-data"));

        assertThat(teardown.exit()).as(teardown.all()).isZero();
        // Ours alone (claim, index, input, rows, commit): smoke deletes the dataset it uploads.
        assertThat(keys).as("objects under the data prefix").hasSize(5);
        assertThat(teardown.out()).contains("datasets deleted 5 objects under s3://" + BUCKET + "/" + DATA_PREFIX);
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(DATA_PREFIX)).contents()).isEmpty();
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("releases/")).contents()).isNotEmpty();
    }

    private static URI addressBase() {
        Fleet.Live live = fleet.live().orElseThrow();
        return host.addressEndpoint(live.address().publicIp(), live.address().instanceId());
    }

    private static String rowsThroughAddress(String token) throws Exception {
        HttpResponse<String> rows = rows(token);
        assertThat(rows.statusCode()).as(rows.body()).isEqualTo(200);
        return rows.body();
    }

    private static int rowsStatus(String token) throws Exception {
        return rows(token).statusCode();
    }

    private static HttpResponse<String> rows(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(addressBase().resolve("/api/datasets/" + datasetId
                + "/rows.tsv")).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<HistoryEntry> history() {
        return new History(aws.s3(), BUCKET, JSON).read(ENV);
    }

    private static String versionThroughAddress() throws Exception {
        Fleet.Live live = fleet.live().orElseThrow();
        return versionAt(host.addressEndpoint(live.address().publicIp(), live.address().instanceId()));
    }

    private static String versionAt(URI base) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/version")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).path("version").asText();
    }

    /** Everything plan could change: instances and their states, addresses, security groups, S3 objects. */
    private static String snapshot() {
        StringBuilder s = new StringBuilder();
        aws.ec2().describeInstances().reservations().forEach(r -> r.instances().forEach(i ->
                s.append(i.instanceId()).append(' ').append(i.state().nameAsString()).append('\n')));
        aws.ec2().describeAddresses().addresses().forEach(a -> s.append(a.allocationId()).append(' ').append(a.instanceId()).append('\n'));
        aws.ec2().describeSecurityGroups().securityGroups().forEach(g -> s.append(g.groupId()).append('\n'));
        aws.s3().listObjectsV2(b -> b.bucket(BUCKET)).contents().forEach(o -> s.append(o.key()).append(' ').append(o.eTag()).append('\n'));
        return s.toString();
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void awaitCondition(Duration timeout, Condition condition) throws Exception {
        awaitCondition(timeout, Duration.ofMillis(100), condition);
    }

    private static void awaitCondition(Duration timeout, Duration interval, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            assertThat(System.nanoTime()).as("condition not met within " + timeout).isLessThan(deadline);
            Thread.sleep(interval.toMillis());
        }
    }

    /** Lists datasets presenting {@code token}: reads are public, but a token that is not (or no longer) listed is refused. */
    private static int listWith(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(addressBase().resolve("/api/datasets?limit=1"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Uploads the test's dataset through the stable address, with {@code token} unless it is null. */
    private static HttpResponse<String> upload(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(addressBase().resolve("/api/datasets?name=kept"))
                .POST(HttpRequest.BodyPublishers.ofString(DATASET)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::instanceId).toList();
    }
}
