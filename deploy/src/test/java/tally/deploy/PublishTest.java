package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

@Tag("deploy")
@ExtendWith(MotoServer.class)
class PublishTest {
    @TempDir
    Path dir;

    @Test
    void publish_puts_the_bytes_and_their_sha256_in_s3(MotoEmulator moto) throws Exception {
        Path jar = Files.write(dir.resolve("tally.jar"), "release one".getBytes());
        Cli cli = new Cli(moto, "publish-bytes", dir.resolve("rehearsal"));

        Cli.Run run = cli.run("publish", "--version", "1.0.0", "--jar", jar.toString());

        assertThat(run.exit()).as(run.all()).isZero();
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        try (AwsClients aws = cli.clients()) {
            byte[] stored = aws.s3().getObjectAsBytes(b -> b.bucket("publish-bytes").key("releases/1.0.0/tally.jar")).asByteArray();
            JsonNode manifest = new ObjectMapper().readTree(
                    aws.s3().getObjectAsBytes(b -> b.bucket("publish-bytes").key("releases/1.0.0/manifest.json")).asByteArray());
            assertThat(stored).isEqualTo(Files.readAllBytes(jar));
            assertThat(manifest.path("sha256").asText()).isEqualTo(sha256);
            assertThat(manifest.path("size").asLong()).isEqualTo(Files.size(jar));
        }
        assertThat(run.out()).contains("published 1.0.0", sha256);
    }

    @Test
    void republishing_the_same_bytes_is_accepted_and_different_bytes_are_refused(MotoEmulator moto) throws Exception {
        Path jar = Files.write(dir.resolve("a.jar"), "first".getBytes());
        Path other = Files.write(dir.resolve("b.jar"), "second".getBytes());
        Cli cli = new Cli(moto, "publish-immutable", dir.resolve("rehearsal"));
        assertThat(cli.run("publish", "--version", "2.0.0", "--jar", jar.toString()).exit()).isZero();

        Cli.Run same = cli.run("publish", "--version", "2.0.0", "--jar", jar.toString());
        Cli.Run different = cli.run("--json", "publish", "--version", "2.0.0", "--jar", other.toString());

        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("already published (same bytes)");
        assertThat(different.exit()).isEqualTo(1);
        assertThat(different.err()).contains("already published", "immutable");
        assertThat(new ObjectMapper().readTree(different.out()).path("outcome").asText()).isEqualTo("failed");
        try (AwsClients aws = cli.clients()) {
            assertThat(aws.s3().getObjectAsBytes(b -> b.bucket("publish-immutable").key("releases/2.0.0/tally.jar")).asUtf8String())
                    .isEqualTo("first");
        }
    }

    @Test
    void a_jar_that_reports_another_version_is_refused(MotoEmulator moto) throws Exception {
        Path jar = ServiceJars.withVersion(dir, "3.1.0");

        Cli.Run run = new Cli(moto, "publish-mismatch", dir.resolve("rehearsal")).run("publish", "--version", "3.2.0", "--jar", jar.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("reports version 3.1.0 on /version, not 3.2.0");
    }

    @Test
    void an_invalid_version_is_refused_before_any_upload(MotoEmulator moto) throws Exception {
        Path jar = Files.write(dir.resolve("a.jar"), "x".getBytes());

        Cli.Run run = new Cli(moto, "publish-invalid", dir.resolve("rehearsal")).run("publish", "--version", "../x", "--jar", jar.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("invalid version '../x'");
    }
}
