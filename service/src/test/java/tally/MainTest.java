package tally;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@Tag("unit")
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void help_lists_every_server_option_with_its_environment_variable_and_default() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString())
                .contains("--host", "TALLY_HOST", "--port", "TALLY_PORT", "8080", "--data-dir", "TALLY_DATA_DIR",
                        "tally-data", "--max-upload-bytes", "TALLY_MAX_UPLOAD_BYTES", "1073741824", "stats", "generate");
    }

    @Test
    void a_wrong_option_prints_the_usage_and_fails() {
        assertThat(run("--port", "not-a-number")).isNotZero();

        assertThat(err.toString()).contains("--port").contains("Usage:");
    }

    @Test
    void an_out_of_range_port_is_refused_before_anything_starts() {
        assertThat(run("--port", "70000")).isNotZero();

        assertThat(err.toString()).contains("port must be 0-65535");
    }
}
