package tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * {@code --tls-cert s3://...} and {@code --tls-key s3://...}, as deployed environments with TLS have them:
 * read once at start from the bucket, through the same S3 endpoint as the token list.
 */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class S3TlsTest {
    private static void openssl(Path dir) throws Exception {
        Process process = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl: %s", output).isZero();
    }

    private static HttpClient trusting(Path cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trusted.setCertificateEntry("tally", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void a_server_given_s3_locations_for_its_certificate_and_key_answers_https(MotoEmulator moto, @TempDir Path dir)
            throws Exception {
        openssl(dir);
        String bucket = moto.newBucket();
        moto.client().putObject(b -> b.bucket(bucket).key("envs/t/tls/cert.pem"), RequestBody.fromFile(dir.resolve("cert.pem")));
        moto.client().putObject(b -> b.bucket(bucket).key("envs/t/tls/key.pem"), RequestBody.fromFile(dir.resolve("key.pem")));
        TallyServer server = TallyServer.start(ServerConfig.builder().host("127.0.0.1").port(0)
                .dataDir(Files.createDirectories(dir.resolve("data"))).s3Endpoint(moto.endpoint())
                .tls("s3://" + bucket + "/envs/t/tls/cert.pem", "s3://" + bucket + "/envs/t/tls/key.pem").build());
        try {
            assertThat(server.baseUri().getScheme()).isEqualTo("https");
            HttpResponse<String> health = trusting(dir.resolve("cert.pem")).send(
                    HttpRequest.newBuilder(server.baseUri().resolve("/healthz")).timeout(ApiClient.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.version()).isEqualTo(HttpClient.Version.HTTP_2);
        } finally {
            server.stop();
        }
    }

    @Test
    void a_key_missing_from_the_bucket_stops_the_start_naming_it(MotoEmulator moto, @TempDir Path dir)
            throws Exception {
        openssl(dir);
        String bucket = moto.newBucket();
        moto.client().putObject(b -> b.bucket(bucket).key("envs/t/tls/cert.pem"), RequestBody.fromFile(dir.resolve("cert.pem")));
        String key = "s3://" + bucket + "/envs/t/tls/key.pem";
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0)
                .dataDir(Files.createDirectories(dir.resolve("data"))).s3Endpoint(moto.endpoint())
                .tls("s3://" + bucket + "/envs/t/tls/cert.pem", key).build();

        assertThatThrownBy(() -> TallyServer.start(config)).isInstanceOf(IOException.class)
                .hasMessageContaining(key).hasMessageContaining("404");
    }

    @Test
    void a_location_in_s3_without_a_key_is_refused_with_the_form_it_wants() {
        assertThatThrownBy(() -> ServerConfig.builder().tls("s3://bucket-only", "key.pem").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://BUCKET/KEY")
                .hasMessageContaining("s3://bucket-only");
    }
}
