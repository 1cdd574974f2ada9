package tally.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LoadCommandTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:1/db?user=u";

    @Test
    void help_lists_every_option() {
        LoadRun run = LoadRun.run(Map.of(), "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).startsWith("Usage: tally load [OPTIONS] ROWS --jdbc-url URL --table NAME")
                .contains("--create", "--append", "--replace", "--from=URL", "--redshift=S3_URL", "--iam-role=ARN",
                        "--s3-endpoint=URL", "(env\n", "TALLY_JDBC_URL)");
    }

    @Test
    void usage_errors_exit_2_and_say_what_to_fix() {
        record Case(String expected, String... args) {
        }
        for (Case c : new Case[] {
            new Case("give either ROWS or --from URL", "--table", "t", "--jdbc-url", URL),
            new Case("give either ROWS or --from URL", "rows.tsv", "--from", "http://h:1/api/datasets/x", "--table", "t"),
            new Case("--append and --replace exclude each other", "rows.tsv", "--append", "--replace", "--table", "t"),
            new Case("--jdbc-url is required", "rows.tsv", "--table", "t"),
            new Case("--table is required", "rows.tsv", "--jdbc-url", URL),
            new Case("table names are letters", "rows.tsv", "--table", "t; drop table x", "--jdbc-url", URL),
            new Case("must start with jdbc:postgresql:", "rows.tsv", "--table", "t", "--jdbc-url", "jdbc:mysql://h/db?password=pw1"),
            new Case("--iam-role and --s3-endpoint go with --redshift", "-", "--table", "t", "--jdbc-url", URL, "--iam-role", "r"),
            new Case("--redshift needs --iam-role", "-", "--table", "t", "--jdbc-url", URL, "--redshift", "s3://b/p"),
            new Case("--redshift takes s3://BUCKET/PREFIX", "-", "--table", "t", "--jdbc-url", URL, "--redshift", "http://b/p",
                    "--iam-role", "r"),
            new Case("a quote or backslash cannot appear", "-", "--table", "t", "--jdbc-url", URL, "--redshift", "s3://b/p",
                    "--iam-role", "r'"),
            new Case("--part-bytes must be positive", "-", "--table", "t", "--jdbc-url", URL, "--part-bytes", "0"),
            new Case("--from takes an http(s) URL", "--from", "ftp://h/x", "--table", "t", "--jdbc-url", URL),
            new Case("--from: not a URL", "--from", "http://h/ x", "--table", "t", "--jdbc-url", URL)}) {
            LoadRun run = LoadRun.run(Map.of(), c.args());
            assertThat(run.exit()).as(c.expected()).isEqualTo(2);
            assertThat(run.err()).startsWith("tally load: ").contains(c.expected(), "Usage: tally load").doesNotContain("pw1");
        }
    }

    @Test
    void the_jdbc_url_may_come_from_the_environment_and_a_refused_connection_masks_the_password() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/db?user=u&password=hunter22&connectTimeout=2";
        LoadRun run = LoadRun.run(Map.of("TALLY_JDBC_URL", url), "-", "--table", "t");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("password=***", "nothing was loaded").doesNotContain("hunter22");
    }

    @Test
    void a_missing_file_is_one_line() {
        LoadRun run = LoadRun.run(Map.of("PGPASSWORD", "pw"), "/no/such/rows.tsv", "--table", "t", "--jdbc-url", URL);
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void the_password_from_pgpassword_is_masked_wherever_it_shows() {
        Database database = Database.of(URL, Map.of("PGPASSWORD", "letmein", "PGUSER", "someone"));
        assertThat(database.masked("oops letmein")).isEqualTo("oops ***");
        assertThat(database.displayUrl()).isEqualTo(URL);
        Database inUrl = Database.of(URL + "&password=abc123", Map.of("PGPASSWORD", "other"));
        assertThat(inUrl.displayUrl()).endsWith("password=***").doesNotContain("abc123");
        assertThat(inUrl.masked("abc123 again")).isEqualTo("*** again");
        assertThat(Database.of(URL, Map.of()).masked(null)).isNull();
    }
}
