package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class BootstrapScriptTest {
    private static final String ZEROS = "0".repeat(64);

    @TempDir
    Path dir;

    @Test
    void rendered_script_passes_bash_syntax_check() throws Exception {
        Path script = write(BootstrapScript.render("1.2.3", "https://b.s3.amazonaws.com/releases/1.2.3/tally.jar?X-Amz-Signature=ab&x=1", ZEROS, 8080, "s3://b/data/test/", "s3://b/envs/test/tokens", "public"));

        assertThat(run(new ProcessBuilder("bash", "-n", script.toString())).exit).isZero();
    }

    @Test
    void rendered_script_passes_shellcheck_when_it_is_installed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(onPath("shellcheck"), "shellcheck is not installed");
        Path script = write(BootstrapScript.render("1.2.3", "https://example.com/tally.jar?a=1&b=2", ZEROS, 8080, "s3://b/data/test/", "s3://b/envs/test/tokens", "public"));

        Result result = run(new ProcessBuilder("shellcheck", "--severity=warning", script.toString()));

        assertThat(result.exit).as(result.output).isZero();
    }

    @Test
    void values_with_shell_characters_stay_data() throws Exception {
        Path payload = Files.createDirectories(dir.resolve("it's & $(touch pwned)")).resolve("tally.jar");
        Files.writeString(payload, "not the expected bytes");
        Path root = Files.createDirectories(dir.resolve("root"));
        Path script = write(BootstrapScript.render("v1", payload.toUri().toString(), ZEROS, 8080, "s3://b/data/test/", "s3://b/envs/test/tokens", "public"));

        Result result = run(sandboxed(script, root));

        assertThat(result.exit).isEqualTo(1);
        assertThat(result.output).contains("sha256 mismatch");
        assertThat(root.resolve("opt/tally/lib/tally.jar.part")).hasContent("not the expected bytes");
        assertThat(root.resolve("opt/tally/lib/tally.jar")).doesNotExist();
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void a_download_with_the_right_sha256_is_installed_and_started_without_systemd() throws Exception {
        byte[] bytes = "a jar that java refuses, so the started process ends by itself".getBytes(StandardCharsets.UTF_8);
        Path payload = dir.resolve("tally.jar");
        Files.write(payload, bytes);
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        Path root = Files.createDirectories(dir.resolve("root"));
        Path script = write(BootstrapScript.render("v7", payload.toUri().toString(), sha256, 8080, "s3://b/data/test/", "s3://b/envs/test/tokens", "public"));

        Result result = run(sandboxed(script, root));

        assertThat(result.exit).as(result.output).isZero();
        assertThat(root.resolve("opt/tally/lib/tally.jar")).hasBinaryContent(bytes);
        assertThat(root.resolve("opt/tally/VERSION")).hasContent("v7");
        long pid = Long.parseLong(Files.readString(root.resolve("run/tally/tally.pid")).trim());
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        // Started through the launcher, which ran java on the downloaded jar.
        assertThat(root.resolve("opt/tally/bin/tally")).isExecutable().hasContent(BootstrapScript.launcher().stripTrailing());
        assertThat(root.resolve("run/tally/tally.log")).content().contains("tally.jar");
    }

    @Test
    void the_service_is_started_with_the_token_list_and_read_access_of_the_environment() {
        String script = BootstrapScript.render("v1", "https://x", ZEROS, 8080, "s3://b/data/test/", "s3://b/envs/test/tokens",
                "token");

        assertThat(script).contains("TOKENS='s3://b/envs/test/tokens'", "READ_ACCESS=token",
                "ExecStart=$APP_DIR/bin/tally --port $PORT --data-dir $DATA_DIR --store $STORE --token-file $TOKENS"
                        + " --read-access $READ_ACCESS",
                "--token-file \"$TOKENS\" --read-access \"$READ_ACCESS\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BootstrapScript.render("v1", "https://x", ZEROS, 8080,
                "s3://b/data/test/", "s3://b/envs/test/tokens $(reboot)", "public")).hasMessageContaining("token list");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BootstrapScript.render("v1", "https://x", ZEROS, 8080,
                "s3://b/data/test/", "s3://b/envs/test/tokens", "everyone")).hasMessageContaining("public or token");
    }

    private static final BootstrapScript.Tls TLS = new BootstrapScript.Tls("s3://b/envs/test/tls/cert.pem",
            "s3://b/envs/test/tls/key.pem");

    private String renderTls(BootstrapScript.Tls tls) {
        return BootstrapScript.render("1.2.3", "https://example.com/tally.jar?a=1&b=2", ZEROS, 8080, "s3://b/data/test/",
                "s3://b/envs/test/tokens", "public", tls);
    }

    @Test
    void a_script_with_tls_passes_bash_syntax_check_and_shellcheck_when_it_is_installed() throws Exception {
        Path script = write(renderTls(TLS));

        assertThat(run(new ProcessBuilder("bash", "-n", script.toString())).exit).isZero();
        if (onPath("shellcheck")) {
            Result result = run(new ProcessBuilder("shellcheck", "--severity=warning", script.toString()));
            assertThat(result.exit).as(result.output).isZero();
        }
    }

    @Test
    void with_tls_the_service_is_started_with_the_environment_certificate_and_key_under_systemd_and_without() {
        String script = renderTls(TLS);

        assertThat(script).contains("TLS_CERT='s3://b/envs/test/tls/cert.pem'", "TLS_KEY='s3://b/envs/test/tls/key.pem'",
                "TLS_ARGS=(--tls-cert \"$TLS_CERT\" --tls-key \"$TLS_KEY\")",
                "--read-access \"$READ_ACCESS\" ${TLS_ARGS[@]+\"${TLS_ARGS[@]}\"}",
                "--read-access $READ_ACCESS$TLS_UNIT_ARGS\n");
    }

    @Test
    void without_tls_the_certificate_variables_are_empty_and_the_service_gets_no_tls_options() throws Exception {
        String script = renderTls(null);

        assertThat(script).contains("TLS_CERT=''", "TLS_KEY=''");
        assertThat(run(new ProcessBuilder("bash", "-n", write(script).toString())).exit).isZero();
        assertThat(startArguments(script)).isEqualTo("[]||");
        assertThat(startArguments(renderTls(TLS))).isEqualTo(
                "[--tls-cert][s3://b/envs/test/tls/cert.pem][--tls-key][s3://b/envs/test/tls/key.pem]"
                        + "| --tls-cert s3://b/envs/test/tls/cert.pem --tls-key s3://b/envs/test/tls/key.pem|");
    }

    /**
     * What the TLS part of the two start lines expands to, by bash itself (under {@code set -u}): the script's
     * variables, then each word of the nohup line in brackets, then the unit file's text between bars.
     */
    private String startArguments(String script) throws Exception {
        String variables = script.substring(0, script.indexOf("# An unpacked release"));
        Path probe = write(variables + "printf '[%s]' ${TLS_ARGS[@]+\"${TLS_ARGS[@]}\"}; echo \"|$TLS_UNIT_ARGS|\"\n");
        Result result = run(new ProcessBuilder("bash", probe.toString()));
        assertThat(result.exit).as(result.output).isZero();
        return result.output.strip();
    }

    @Test
    void a_certificate_location_that_could_break_the_unit_file_is_refused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> renderTls(new BootstrapScript.Tls(
                "s3://b/envs/test/tls/cert.pem $(reboot)", "s3://b/envs/test/tls/key.pem")))
                .hasMessageContaining("certificate or key location");
    }

    @Test
    void a_version_that_could_break_the_script_is_refused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BootstrapScript.render("1'; rm -rf /", "https://x", ZEROS, 8080, "s3://b/data/test/", "s3://b/envs/test/tokens", "public"))
                .isInstanceOf(DeployException.class).hasMessageContaining("invalid version");
    }

    private ProcessBuilder sandboxed(Path script, Path root) {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).directory(dir.toFile());
        builder.environment().put("TALLY_ROOT", root.toString());
        builder.environment().put("TALLY_NO_SYSTEMD", "1");
        builder.environment().put("TALLY_PORT", "1");
        return builder;
    }

    private Path write(String script) throws IOException {
        return Files.writeString(dir.resolve("user-data.sh"), script);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) {
                return true;
            }
        }
        return false;
    }
}
