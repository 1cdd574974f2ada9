package tally.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.store.FileTree;

/**
 * HTTPS with HTTP/2 on the configured port, from PEM files made here by openssl: the key forms OpenSSL
 * writes (PKCS#8, PKCS#1 RSA, SEC1 EC), HSTS, Secure cookies, and a key that is not the certificate's.
 */
@Tag("async")
class TlsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeKeysAndCertificates() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa-pkcs8.key", "-out", "rsa.crt",
                "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        openssl("genrsa", "-traditional", "-out", "rsa-pkcs1.key", "2048");
        certificateFor("rsa-pkcs1.key", "rsa-pkcs1.crt");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.key");
        certificateFor("ec-sec1.key", "ec-sec1.crt");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec-pkcs8.key");
        certificateFor("ec-pkcs8.key", "ec-pkcs8.crt");
    }

    private static void certificateFor(String key, String cert) throws Exception {
        openssl("req", "-x509", "-new", "-key", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
    }

    private static TallyServer start(String cert, String key, Path tokens) throws IOException {
        Path data = Files.createTempDirectory("tally-tls-");
        try {
            return TallyServer.start(ServerConfig.loopback(data).toBuilder()
                    .tls(dir.resolve(cert), dir.resolve(key)).tokenFile(tokens).build());
        } catch (IOException | RuntimeException e) {
            FileTree.delete(data);
            throw e;
        }
    }

    private static void stop(TallyServer server) throws IOException {
        server.stop();
        FileTree.delete(server.config().dataDir());
    }

    /** A client that trusts exactly this certificate, as a browser trusts a CA's. */
    private static HttpClient client(String cert, HttpClient.Version version) throws IOException,
            GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve(cert))) {
            trusted.setCertificateEntry("tally", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(ApiClient.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void https_speaks_http2_sends_hsts_and_marks_cookies_secure() throws Exception {
        TallyServer server = start("rsa.crt", "rsa-pkcs8.key", TokenFiles.create());
        try {
            assertThat(server.baseUri().getScheme()).isEqualTo("https");
            HttpResponse<String> h2 = get(client("rsa.crt", HttpClient.Version.HTTP_2), server.baseUri().resolve("/healthz"));
            HttpResponse<String> h1 = get(client("rsa.crt", HttpClient.Version.HTTP_1_1), server.baseUri().resolve("/signin"));

            assertThat(h2.statusCode()).isEqualTo(200);
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(h2.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
            assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(h1.headers().firstValue("Strict-Transport-Security")).contains("max-age=31536000");
            assertThat(h1.headers().allValues("Set-Cookie")).anySatisfy(
                    cookie -> assertThat(cookie).startsWith("tally_csrf=").contains("Secure"));

            HttpClient http2 = client("rsa.crt", HttpClient.Version.HTTP_2);
            HttpResponse<String> upload = http2.send(HttpRequest.newBuilder(server.baseUri().resolve("/api/datasets/over-tls"))
                    .header("Authorization", "Bearer " + TokenFiles.CI).header("Content-Type", "application/x-ndjson")
                    .PUT(HttpRequest.BodyPublishers.ofString(Bookmarks.MIXED)).timeout(ApiClient.TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upload.statusCode()).isEqualTo(201);
            assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        } finally {
            stop(server);
        }
    }

    @Test
    void a_plain_http_request_to_the_https_port_gets_no_answer_in_clear() {
        // One port, one protocol: HTTPS. (The deploy's health checks and probes use https:// then.)
        assertThatThrownBy(() -> {
            TallyServer server = start("rsa.crt", "rsa-pkcs8.key", null);
            try {
                get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                        URI.create("http://127.0.0.1:" + server.port() + "/healthz"));
            } finally {
                stop(server);
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void pkcs1_rsa_sec1_ec_and_pkcs8_ec_keys_are_read() throws Exception {
        assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ec-sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ec-pkcs8.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        for (String name : new String[] {"rsa-pkcs1", "ec-sec1", "ec-pkcs8"}) {
            TallyServer server = start(name + ".crt", name + ".key", null);
            try {
                HttpResponse<String> response = get(client(name + ".crt", HttpClient.Version.HTTP_2),
                        server.baseUri().resolve("/version"));
                assertThat(response.statusCode()).as(name).isEqualTo(200);
                assertThat(response.version()).as(name).isEqualTo(HttpClient.Version.HTTP_2);
            } finally {
                stop(server);
            }
        }
    }

    @Test
    void a_key_that_is_not_the_certificates_is_refused_at_start_naming_both_files() {
        assertThatThrownBy(() -> start("rsa.crt", "rsa-pkcs1.key", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rsa-pkcs1.key does not match the certificate")
                .hasMessageContaining("rsa.crt");
        assertThatThrownBy(() -> start("ec-sec1.crt", "ec-pkcs8.key", null))
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> start("rsa.crt", "rsa.crt", null))
                .hasMessageContaining("holds no private key");
    }
}
