package tally;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.UsageException;
import tally.server.ServerConfig;

@Tag("unit")
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main(new ByteArrayInputStream(new byte[0]), out, new PrintStream(err, true, UTF_8), Map.of())
                .run(args);
    }

    private static ServerConfig config(Map<String, String> env, String... args) throws UsageException {
        return Main.serverConfig(CommandArgs.parse(Main.OPTIONS, env, args));
    }

    private String out() {
        return out.toString(UTF_8);
    }

    private String err() {
        return err.toString(UTF_8);
    }

    @Test
    void help_lists_every_server_option_with_its_environment_variable_and_default() {
        assertThat(run("--help")).isZero();

        assertThat(out())
                .contains("--host", "TALLY_HOST", "--port", "TALLY_PORT", "8080", "--data-dir", "TALLY_DATA_DIR",
                        "tally-data", "--max-upload-bytes", "TALLY_MAX_UPLOAD_BYTES", "1073741824", "stats", "generate");
    }

    @Test
    void help_describes_each_subcommand_in_one_line_and_says_nothing_on_stderr() {
        assertThat(run("-h")).isZero();

        assertThat(out()).startsWith("Usage: tally ")
                .containsPattern("\n  stats +Compute the bookmark tag stats")
                .containsPattern("\n  generate +Write deterministic bookmark records")
                .contains("--version", "--help");
        assertThat(err()).isEmpty();
    }

    @Test
    void the_help_fits_a_terminal_of_80_columns() {
        run("--help");

        assertThat(out().lines()).allSatisfy(line -> assertThat(line).hasSizeLessThanOrEqualTo(80));
    }

    @Test
    void version_prints_the_name_the_version_and_the_commit() {
        assertThat(run("--version")).isZero();
        assertThat(out()).matches("tally \\S+ \\(\\S+\\)\n");

        out.reset();
        assertThat(run("-V")).isZero();
        assertThat(out()).startsWith("tally ");
    }

    @Test
    void a_wrong_option_prints_the_usage_and_fails() {
        assertThat(run("--port", "not-a-number")).isNotZero();

        assertThat(err()).contains("--port").contains("Usage:");
    }

    @Test
    void a_usage_error_exits_2_with_one_line_naming_the_problem_then_the_usage() {
        assertThat(run("--no-such-option")).isEqualTo(2);

        assertThat(err()).startsWith("tally: unknown option: --no-such-option\nUsage: tally ");
        assertThat(out()).isEmpty();
    }

    @Test
    void an_unknown_subcommand_is_an_unexpected_argument() {
        assertThat(run("statistics", "in.jsonl")).isEqualTo(2);

        assertThat(err()).startsWith("tally: unexpected argument: statistics\n");
    }

    @Test
    void an_out_of_range_port_is_refused_before_anything_starts() {
        assertThat(run("--port", "70000")).isNotZero();

        assertThat(err()).contains("port must be 0-65535");
    }

    @Test
    void byte_sizes_take_the_suffixes_generate_takes() throws UsageException {
        ServerConfig config = config(Map.of(), "--max-upload-bytes", "10M", "--min-free-bytes", "1G");

        assertThat(config.maxUploadBytes()).isEqualTo(10L << 20);
        assertThat(config.minFreeBytes()).isEqualTo(1L << 30);
    }

    @Test
    void a_non_positive_upload_cap_is_a_usage_error() {
        assertThat(run("--max-upload-bytes=0")).isEqualTo(2);

        assertThat(err()).contains("max upload bytes must be positive").contains("Usage:");
    }

    @Test
    void without_flags_or_environment_the_embedded_defaults_apply() throws UsageException {
        ServerConfig config = config(Map.of());

        assertThat(config.host()).isEqualTo(ServerConfig.DEFAULT_HOST);
        assertThat(config.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(config.dataDir()).isEqualTo(Path.of(ServerConfig.DEFAULT_DATA_DIR));
        assertThat(config.maxUploadBytes()).isEqualTo(ServerConfig.DEFAULT_MAX_UPLOAD_BYTES);
    }

    @Test
    void each_environment_variable_replaces_its_default() throws UsageException {
        ServerConfig config = config(Map.of("TALLY_HOST", "127.0.0.1", "TALLY_PORT", "9090",
                "TALLY_DATA_DIR", "/srv/tally", "TALLY_MAX_UPLOAD_BYTES", "1024"));

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/tally"));
        assertThat(config.maxUploadBytes()).isEqualTo(1024);
    }

    @Test
    void a_flag_wins_over_its_environment_variable() throws UsageException {
        ServerConfig config = config(Map.of("TALLY_PORT", "9090", "TALLY_HOST", "127.0.0.1"),
                "--port", "7070", "--host=::1");

        assertThat(config.port()).isEqualTo(7070);
        assertThat(config.host()).isEqualTo("::1");
    }

    @Test
    void a_bad_environment_value_is_a_usage_error_naming_the_variable() {
        assertThatThrownBy(() -> config(Map.of("TALLY_PORT", "eighty")))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid value for --port (from TALLY_PORT): 'eighty' is not a whole number");
    }

    @Test
    void stats_help_and_version_are_reached_through_the_entry_point() {
        assertThat(run("stats", "--help")).isZero();
        assertThat(out()).startsWith("Usage: tally stats [OPTIONS] FILE\n")
                .contains("--out=FILE", "--summary=FILE", "--header", "--max-line-bytes=N", "16777216",
                        "--sort-memory-bytes=N", "67108864", "--threads=N", "--spill-dir=DIR");

        out.reset();
        assertThat(run("stats", "--version")).isZero();
        assertThat(out()).startsWith("tally ");
        assertThat(err()).isEmpty();
    }

    @Test
    void generate_help_and_version_are_reached_through_the_entry_point() {
        assertThat(run("generate", "--help")).isZero();
        assertThat(out()).startsWith("Usage: tally generate [OPTIONS]\n")
                .contains("--size=SIZE", "10M", "--seed=N", "2013", "--bad-rate=RATE", "0.01", "--out=FILE");

        out.reset();
        assertThat(run("generate", "-V")).isZero();
        assertThat(out()).startsWith("tally ");
        assertThat(err()).isEmpty();
    }

    @Test
    void a_subcommand_usage_error_shows_that_subcommands_usage() {
        assertThat(run("stats")).isEqualTo(2);

        assertThat(err()).startsWith("tally stats: missing FILE\nUsage: tally stats [OPTIONS] FILE\n");
    }

    @Test
    void the_store_is_the_file_store_by_default_and_an_s3_url_from_a_flag_or_the_environment() throws UsageException {
        assertThat(config(Map.of()).s3Store()).isNull();

        ServerConfig fromEnv = config(Map.of("TALLY_STORE", "s3://tally-data/data/staging",
                "TALLY_S3_ENDPOINT", "http://127.0.0.1:5000"));
        assertThat(fromEnv.s3Store().location().toString()).isEqualTo("s3://tally-data/data/staging/");
        assertThat(fromEnv.s3Store().endpoint()).hasToString("http://127.0.0.1:5000");
        assertThat(config(Map.of(), "--store", "s3://b-1/p").s3Store().endpoint()).isNull();
        assertThat(config(Map.of(), "--store", "s3://b-1/p").toBuilder().build().store()).hasToString("s3://b-1/p/");
    }

    @Test
    void a_store_that_is_no_s3_url_or_an_endpoint_that_is_no_url_is_a_usage_error() {
        assertThat(run("--store", "/var/lib/tally")).isEqualTo(2);
        assertThat(err()).startsWith("tally: a store location is s3://BUCKET/PREFIX");

        err.reset();
        assertThat(run("--store", "s3://b-1/p", "--s3-endpoint", "localhost:5000")).isEqualTo(2);
        assertThat(err()).startsWith("tally: invalid value for --s3-endpoint: 'localhost:5000' is not an http");
    }

    @Test
    void migrate_store_has_its_own_usage_and_refuses_a_copy_onto_itself() {
        assertThat(run("--help")).isZero();
        assertThat(out()).contains("migrate-store", "--store", "TALLY_STORE", "--s3-endpoint");

        out.reset();
        assertThat(run("migrate-store", "--help")).isZero();
        assertThat(out()).startsWith("Usage: tally migrate-store --from DIR|URL --to DIR|URL");

        assertThat(run("migrate-store", "--from", "s3://b-1/x")).isEqualTo(2);
        assertThat(err()).startsWith("tally migrate-store: option --to needs a value");
        err.reset();
        assertThat(run("migrate-store", "--from", "s3://b-1/x", "--to", "s3://b-1/x")).isEqualTo(2);
        assertThat(err()).startsWith("tally migrate-store: --from and --to are the same store");
        err.reset();
        assertThat(run("migrate-store", "--from", "s3://B/x", "--to", "dir")).isEqualTo(2);
        assertThat(err()).startsWith("tally migrate-store: not an S3 bucket name");
    }
}
