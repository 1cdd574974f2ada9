package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * tally-deploy's command line, run in-process as {@code main} runs it: help on every level, usage errors
 * (exit 2 with what to fix), options from the environment, and failures as {@code --json}. Where a command
 * must reach S3, the endpoint is a loopback HTTP server that answers every request with one S3 error and
 * records what was asked.
 */
@Tag("unit")
class DeployCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void credentials() {
        System.setProperty("aws.accessKeyId", "tally-test");
        System.setProperty("aws.secretAccessKey", "tally-test");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void the_root_help_lists_the_global_options_with_their_variables_and_every_command() {
        Cli.Run run = Cli.in(Map.of(), "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("Usage: tally-deploy [OPTIONS] COMMAND [COMMAND OPTIONS]\n").contains(
                "--region=REGION", "TALLY_DEPLOY_REGION; default:", "us-east-1", "--bucket=BUCKET", "TALLY_DEPLOY_BUCKET",
                "--endpoint-url=URL", "TALLY_DEPLOY_ENDPOINT_URL", "--rehearsal-dir=DIR", "TALLY_DEPLOY_REHEARSAL_DIR",
                "--max-attempts=N", "TALLY_DEPLOY_MAX_ATTEMPTS", "--json", "-h, --help", "-V, --version", "Commands:\n");
        for (String command : List.of("publish", "release", "rollback", "status", "history", "teardown", "plan", "smoke",
                "token", "emr")) {
            assertThat(run.out()).contains("\n  " + command + " ");
        }
    }

    @Test
    void a_nested_subcommands_help_lists_its_own_options() {
        Cli.Run create = Cli.in(Map.of(), "token", "create", "--help");
        Cli.Run emrRun = Cli.in(Map.of(), "--json", "emr", "run", "-h");

        assertThat(create.exit()).isZero();
        assertThat(create.out()).startsWith("Usage: tally-deploy token create --env ENV --name NAME [--expires DURATION] [--wait]\n")
                .contains("--env=ENV", "--name=NAME", "--expires=DURATION", "--wait", "--wait-limit=DURATION", "--port=PORT", "-h, --help")
                .doesNotContain("--region", "--version");
        assertThat(emrRun.exit()).isZero();
        assertThat(emrRun.out()).startsWith("Usage: tally-deploy emr run ").contains("--cluster-id=ID", "--create-cluster",
                "--conf=KEY=VALUE", "--wait-timeout=DURATION", "(default: 2h)", "TALLY_SPARK_LOCAL",
                "--instance-count=N", "(default: 3)", "--release-label=LABEL");
    }

    @Test
    void help_works_even_when_the_rest_of_the_line_would_not() {
        Cli.Run run = Cli.in(Map.of(), "release", "--version", "v1", "--count", "many", "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: tally-deploy release --env ENV --version V [OPTIONS]\n")
                .contains("--health-timeout=DURATION", "TALLY_DEPLOY_HEALTH_TIMEOUT", "--poll-interval=DURATION",
                        "TALLY_DEPLOY_POLL_INTERVAL", "--count=N");
    }

    @Test
    void a_commands_help_works_even_with_a_bad_global_option_which_running_it_reports_as_the_roots() {
        Map<String, String> env = Map.of("TALLY_DEPLOY_MAX_ATTEMPTS", "many");

        Cli.Run help = Cli.in(env, "status", "--help");
        Cli.Run run = Cli.in(env, "status", "--env", "staging");

        assertThat(help.exit()).isZero();
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("tally-deploy: invalid value for --max-attempts (from TALLY_DEPLOY_MAX_ATTEMPTS):"
                + " 'many' is not a whole number\nTry 'tally-deploy --help' for the options.\n");
    }

    @Test
    void a_groups_help_lists_its_subcommands() {
        Cli.Run run = Cli.in(Map.of(), "token", "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: tally-deploy token COMMAND [OPTIONS]\n")
                .contains("Commands:\n", "\n  create ", "\n  list ", "\n  revoke ");
    }

    @Test
    void version_prints_the_tools_version() {
        Cli.Run run = Cli.in(Map.of(), "-V");

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("tally-deploy 0.1\n");
    }

    @Test
    void an_unknown_option_exits_2_naming_it_and_pointing_at_the_commands_help() {
        Cli.Run sub = Cli.in(Map.of(), "release", "--env", "staging", "--version", "v1", "--colour", "red");
        Cli.Run root = Cli.in(Map.of(), "--colour", "release");

        assertThat(sub.exit()).isEqualTo(2);
        assertThat(sub.out()).isEmpty();
        assertThat(sub.err()).isEqualTo("tally-deploy release: unknown option: --colour\n"
                + "Try 'tally-deploy release --help' for the options.\n");
        assertThat(root.exit()).isEqualTo(2);
        assertThat(root.err()).startsWith("tally-deploy: unknown option: --colour\n");
    }

    @Test
    void global_options_go_before_the_command() {
        Cli.Run run = Cli.in(Map.of(), "status", "--env", "staging", "--json");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("tally-deploy status: unknown option: --json\n");
    }

    @Test
    void a_missing_required_option_exits_2_naming_it() {
        Cli.Run revoke = Cli.in(Map.of(), "token", "revoke", "--env", "staging");
        Cli.Run emr = Cli.in(Map.of(), "emr", "run", "--create-cluster", "--version", "1", "--output", "s3://b/o");

        assertThat(revoke.exit()).isEqualTo(2);
        assertThat(revoke.err()).startsWith("tally-deploy token revoke: option --name needs a value (NAME)\n")
                .contains("Try 'tally-deploy token revoke --help'");
        assertThat(emr.exit()).isEqualTo(2);
        assertThat(emr.err()).startsWith("tally-deploy emr run: option --input needs a value (PATH)\n");
    }

    @Test
    void a_missing_or_unknown_command_exits_2_listing_the_commands() {
        Cli.Run none = Cli.in(Map.of());
        Cli.Run unknown = Cli.in(Map.of(), "emr", "submit");

        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).startsWith("tally-deploy: missing COMMAND: publish, release, rollback,");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("tally-deploy emr: unknown command: submit (commands: publish, run)\n");
    }

    @Test
    void exactly_one_of_cluster_id_and_create_cluster_is_required() {
        Cli.Run both = Cli.in(Map.of(), "emr", "run", "--cluster-id", "j-1", "--create-cluster", "--version", "1",
                "--input", "s3://b/i", "--output", "s3://b/o");
        Cli.Run neither = Cli.in(Map.of(), "emr", "run", "--version", "1", "--input", "s3://b/i", "--output", "s3://b/o");

        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).startsWith("tally-deploy emr run: --cluster-id and --create-cluster exclude each other\n");
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).startsWith("tally-deploy emr run: give --cluster-id ID (a running cluster) or --create-cluster\n");
    }

    @Test
    void a_bad_duration_exits_2_naming_the_option_or_the_variable_it_came_from() {
        Cli.Run flag = Cli.in(Map.of(), "--bucket", "b", "release", "--env", "staging", "--version", "v1",
                "--poll-interval", "soon");
        Cli.Run env = Cli.in(Map.of("TALLY_DEPLOY_HEALTH_TIMEOUT", "5 minutes"), "--bucket", "b", "rollback", "--env", "staging");

        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).startsWith("tally-deploy release: invalid value for --poll-interval: 'soon' is not a duration"
                + " such as 200ms, 30s, 5m, 1h, 90d or PT30S\n");
        assertThat(env.exit()).isEqualTo(2);
        assertThat(env.err()).startsWith("tally-deploy rollback: invalid value for --health-timeout (from"
                + " TALLY_DEPLOY_HEALTH_TIMEOUT): '5 minutes' is not a duration");
    }

    @Test
    void bad_numbers_and_words_exit_2_with_what_is_allowed() {
        Cli.Run attempts = Cli.in(Map.of("TALLY_DEPLOY_MAX_ATTEMPTS", "0"), "history", "--env", "staging");
        Cli.Run port = Cli.in(Map.of(), "status", "--env", "staging", "--port", "70000");
        Cli.Run access = Cli.in(Map.of(), "plan", "release", "--env", "staging", "--read-access", "private");
        Cli.Run action = Cli.in(Map.of(), "plan", "deploy", "--env", "staging");

        assertThat(List.of(attempts.exit(), port.exit(), access.exit(), action.exit())).containsOnly(2);
        assertThat(attempts.err()).startsWith("tally-deploy: invalid value for --max-attempts (from TALLY_DEPLOY_MAX_ATTEMPTS):"
                + " '0' is not a whole number of at least 1\n");
        assertThat(port.err()).startsWith("tally-deploy status: invalid value for --port: '70000' is not a whole number"
                + " from 1 to 65535\n");
        assertThat(access.err()).startsWith("tally-deploy plan: invalid value for --read-access: 'private' is not public or token\n");
        assertThat(action.err()).startsWith("tally-deploy plan: invalid value for ACTION: 'deploy' is not release, rollback"
                + " or teardown\n");
    }

    @Test
    void the_bucket_and_endpoint_come_from_the_environment_and_a_flag_overrides_them() throws IOException {
        answerEveryRequest(404, "NoSuchKey", "The specified key does not exist.");
        Map<String, String> env = Map.of("TALLY_DEPLOY_BUCKET", "from-env",
                "TALLY_DEPLOY_ENDPOINT_URL", "http://127.0.0.1:" + server.getAddress().getPort());

        Cli.Run fromEnv = Cli.in(env, "history", "--env", "staging");
        Cli.Run fromFlag = Cli.in(env, "--bucket", "from-flag", "history", "--env", "staging");

        assertThat(fromEnv.exit()).as(fromEnv.all()).isZero();
        assertThat(fromEnv.out()).isEqualTo("no history for staging\n");
        assertThat(fromFlag.exit()).as(fromFlag.all()).isZero();
        assertThat(paths).containsExactly("/from-env/envs/staging/history.json", "/from-flag/envs/staging/history.json");
    }

    @Test
    void with_json_a_failure_is_a_json_object_on_stdout_and_a_line_on_stderr() throws IOException {
        Cli.Run noBucket = Cli.in(Map.of(), "--json", "history", "--env", "staging");
        answerEveryRequest(403, "AccessDenied", "Access Denied");
        Cli.Run denied = Cli.in(Map.of(), "--json", "--endpoint-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "--bucket", "b", "--max-attempts", "1", "history", "--env", "staging");

        assertThat(noBucket.exit()).isEqualTo(2);
        JsonNode failure = JSON.readTree(noBucket.out());
        assertThat(failure.path("outcome").asText()).isEqualTo("failed");
        assertThat(failure.path("error").asText()).isEqualTo("no bucket: pass --bucket or set TALLY_DEPLOY_BUCKET");
        assertThat(noBucket.err()).isEqualTo("tally-deploy history: no bucket: pass --bucket or set TALLY_DEPLOY_BUCKET\n");
        assertThat(denied.exit()).as(denied.all()).isEqualTo(1);
        JsonNode awsFailure = JSON.readTree(denied.out());
        assertThat(awsFailure.path("outcome").asText()).isEqualTo("failed");
        assertThat(awsFailure.path("error").asText()).contains("AccessDenied");
        assertThat(denied.err()).startsWith("tally-deploy history: ").contains("AccessDenied");
    }

    @Test
    void a_usage_error_prints_no_json_even_with_json() {
        Cli.Run run = Cli.in(Map.of(), "--json", "history");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("tally-deploy history: option --env needs a value (ENV)\n");
    }

    /** Every request gets {@code status} with an S3 error body; each request's path is kept. */
    private void answerEveryRequest(int status, String code, String message) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>req-" + code + "</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
