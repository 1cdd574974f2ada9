package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * An environment given a certificate with {@code tls put}, rehearsed: its next release serves HTTPS, and the
 * health gate, status, smoke and {@code token create --wait} reach the instances over it, by IP address,
 * although the certificate names a DNS name (the deploy tool pins the certificate instead). After
 * {@code tls remove} the next release serves plain HTTP again. The steps build on each other.
 */
@Tag("deploy")
@ExtendWith(MotoServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsReleaseTest {
    private static final String BUCKET = "tls-release";
    private static final String ENV = "secure";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Cli cli;
    private static AwsClients aws;
    private static RehearsalHost host;
    private static Fleet fleet;

    @BeforeAll
    static void makeCertificatesAndPublish(MotoEmulator moto) throws Exception {
        // A name, not the address the instances are reached at: the deploy tool must not need the name to match.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
                "-subj", "/CN=tally.example.com", "-addext", "subjectAltName=DNS:tally.example.com");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-key.pem", "-out", "other-cert.pem",
                "-days", "2", "-subj", "/CN=tally.example.com", "-addext", "subjectAltName=DNS:tally.example.com");
        cli = new Cli(moto, BUCKET, dir.resolve("rehearsal"));
        aws = cli.clients();
        host = cli.host(aws);
        fleet = new Fleet(aws.ec2(), ENV, Duration.ofMillis(200));
        Path jar = ServiceJars.withVersion(dir, "v1");
        Cli.Run run = cli.run("publish", "--version", "v1", "--jar", jar.toString());
        assertThat(run.exit()).as(run.all()).isZero();
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

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    /** A client pinned to the certificate in {@code certFile}, as the deploy tool builds it. */
    private static HttpClient pinnedTo(String certFile) throws IOException {
        return EnvHttp.of(Optional.of(EnvTls.certificate(Files.readAllBytes(dir.resolve(certFile)), certFile)))
                .client(Duration.ofSeconds(5));
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Instance onlyInstance() {
        List<Instance> instances = fleet.instances().stream()
                .filter(i -> "running".equals(i.state().nameAsString())).toList();
        assertThat(instances).hasSize(1);
        return instances.get(0);
    }

    @Test
    @Order(1)
    void tls_put_refuses_a_certificate_or_key_that_is_not_one_before_uploading_anything() {
        Cli.Run notACert = cli.run("tls", "put", "--env", ENV, "--cert", file("key.pem"), "--key", file("key.pem"));
        Cli.Run notAKey = cli.run("tls", "put", "--env", ENV, "--cert", file("cert.pem"), "--key", file("cert.pem"));
        Cli.Run missing = cli.run("tls", "put", "--env", ENV, "--cert", file("nothing.pem"), "--key", file("key.pem"));

        assertThat(notACert.exit()).as(notACert.all()).isEqualTo(2);
        assertThat(notACert.err()).contains("key.pem holds no PEM certificate");
        assertThat(notAKey.exit()).as(notAKey.all()).isEqualTo(2);
        assertThat(notAKey.err()).contains("cert.pem holds no PEM private key");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nothing.pem does not exist");
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("envs/" + ENV + "/tls/")).contents()).isEmpty();
    }

    @Test
    @Order(2)
    void tls_put_stores_the_certificate_and_key_encrypted_and_records_it() throws Exception {
        Cli.Run run = cli.run("tls", "put", "--env", ENV, "--cert", file("cert.pem"), "--key", file("key.pem"));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("CN=tally.example.com", "next release serves HTTPS",
                "s3://" + BUCKET + "/envs/" + ENV + "/tls/cert.pem");
        for (String name : List.of("cert.pem", "key.pem")) {
            String key = "envs/" + ENV + "/tls/" + name;
            assertThat(aws.s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray())
                    .isEqualTo(Files.readAllBytes(dir.resolve(name)));
            assertThat(aws.s3().headObject(b -> b.bucket(BUCKET).key(key)).serverSideEncryption())
                    .isEqualTo(ServerSideEncryption.AES256);
        }
        Cli.Run history = cli.run("--json", "history", "--env", ENV);
        assertThat(JSON.readTree(history.out()).findValuesAsText("action")).containsExactly("tls-put");

        Cli.Run plan = cli.run("plan", "release", "--env", ENV, "--version", "v1");
        assertThat(plan.out()).contains("HTTPS with CN=tally.example.com", "traffic is HTTPS")
                .doesNotContain("plain HTTP");
    }

    @Test
    @Order(3)
    void the_next_release_serves_https_and_passes_its_health_gate_over_it() throws Exception {
        Cli.Run run = cli.run(Cli.fast("release", "--env", ENV, "--version", "v1", "--count", "1"));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("HTTPS with s3://" + BUCKET + "/envs/" + ENV + "/tls/cert.pem", "health gate");
        URI base = cli.host(aws, "https").endpoint(onlyInstance());
        HttpResponse<String> version = get(pinnedTo("cert.pem"), base.resolve("/version"));
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(version.body()).path("version").asText()).isEqualTo("v1");
        assertThat(version.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(java.net.URLDecoder.decode(aws.iam().getRolePolicy(b -> b.roleName("tally-" + ENV + "-instance")
                .policyName("tally-data-store")).policyDocument(), StandardCharsets.UTF_8))
                .contains("arn:aws:s3:::" + BUCKET + "/envs/" + ENV + "/tls/*");
    }

    @Test
    @Order(4)
    void the_instance_refuses_plain_http_and_a_client_pinned_to_another_certificate() {
        URI https = cli.host(aws, "https").endpoint(onlyInstance());
        URI http = URI.create("http://127.0.0.1:" + https.getPort() + "/healthz");

        assertThatThrownBy(() -> get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), http))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> get(pinnedTo("other-cert.pem"), https.resolve("/healthz")))
                .isInstanceOf(IOException.class);
        // A client trusting the usual CAs refuses it too: nobody vouches for a self-signed certificate.
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), https.resolve("/healthz")))
                .isInstanceOf(IOException.class);
    }

    @Test
    @Order(5)
    void status_gives_https_urls_and_the_instance_health_over_https() throws Exception {
        Cli.Run status = cli.run(Cli.fast("--json", "status", "--env", ENV));

        assertThat(status.exit()).as(status.all()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.path("url").asText()).startsWith("https://127.0.0.1:");
        assertThat(s.path("instances").findValuesAsText("url")).singleElement()
                .satisfies(url -> assertThat(url).startsWith("https://"));
        assertThat(s.path("instances").findValuesAsText("health")).containsExactly("ready, version v1");
        assertThat(get(pinnedTo("cert.pem"), URI.create(s.path("url").asText()).resolve("/readyz")).statusCode())
                .isEqualTo(200);
    }

    @Test
    @Order(6)
    void smoke_and_token_create_wait_talk_https_to_the_instance() {
        Cli.Run smoke = cli.run(Cli.fast("smoke", "--env", ENV));
        Cli.Run token = cli.run("token", "create", "--env", ENV, "--name", "ci", "--wait");

        assertThat(smoke.exit()).as(smoke.all()).isZero();
        assertThat(smoke.out()).contains("https://127.0.0.1:", "ok    GET /readyz", "ok    new token smoke-",
                "ok    POST /api/datasets:");
        assertThat(token.exit()).as(token.all()).isZero();
        assertThat(token.err()).contains(onlyInstance().instanceId() + " accepts it");
    }

    @Test
    @Order(7)
    void a_new_certificate_counts_from_the_next_release_and_until_then_the_tool_says_why_it_cannot_reach_the_instance() {
        Cli.Run put = cli.run("tls", "put", "--env", ENV, "--cert", file("other-cert.pem"), "--key", file("other-key.pem"));
        Cli.Run token = cli.run("token", "create", "--env", ENV, "--name", "late", "--wait", "--wait-limit", "1s");

        assertThat(put.exit()).as(put.all()).isZero();
        assertThat(token.exit()).as(token.all()).isEqualTo(1);
        assertThat(token.err()).contains(onlyInstance().instanceId() + " does not accept it after", "(last: no answer",
                "not the environment's");
    }

    @Test
    @Order(8)
    void after_tls_remove_the_next_release_serves_plain_http_again() throws Exception {
        String before = onlyInstance().instanceId();
        Cli.Run removed = cli.run("tls", "remove", "--env", ENV);
        assertThat(removed.exit()).as(removed.all()).isZero();
        assertThat(removed.out()).contains("next release serves plain HTTP");
        assertThat(aws.s3().listObjectsV2(b -> b.bucket(BUCKET).prefix("envs/" + ENV + "/tls/")).contents()).isEmpty();

        // The same version: the live instance no longer passes a plain-HTTP gate, so this is a release, not a no-op.
        Cli.Run run = cli.run(Cli.fast("release", "--env", ENV, "--version", "v1", "--count", "1"));

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.out()).contains("plain HTTP");
        Instance now = onlyInstance();
        assertThat(now.instanceId()).isNotEqualTo(before);
        URI base = host.endpoint(now);
        assertThat(base.getScheme()).isEqualTo("http");
        assertThat(get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), base.resolve("/readyz"))
                .statusCode()).isEqualTo(200);
        Cli.Run status = cli.run(Cli.fast("--json", "status", "--env", ENV));
        assertThat(JSON.readTree(status.out()).path("url").asText()).startsWith("http://127.0.0.1:");
        Cli.Run history = cli.run("--json", "history", "--env", ENV);
        assertThat(JSON.readTree(history.out()).findValuesAsText("action"))
                .containsExactly("tls-put", "release", "token-create", "tls-put", "token-create", "tls-remove", "release");
    }
}
