package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripts the pipeline calls: {@code deploy/rehearsal.sh} and {@code deploy/bin/tally-deploy}. */
@Tag("deploy")
class RehearsalScriptTest {
    private static final Path REHEARSAL = Path.of("rehearsal.sh");
    private static final Path LAUNCHER = Path.of("bin/tally-deploy");

    @TempDir
    Path temp;

    @Test
    void the_scripts_pass_bash_syntax_check_and_shellcheck_when_installed() throws Exception {
        for (Path script : List.of(REHEARSAL, LAUNCHER)) {
            assertThat(run(List.of("bash", "-n", script.toString()), temp).exit).isZero();
            if (onPath("shellcheck")) {
                Result result = run(List.of("shellcheck", script.toString()), temp);
                assertThat(result.exit).as(result.output).isZero();
            }
        }
    }

    @Test
    void up_prints_the_exports_and_down_stops_moto() throws Exception {
        boolean moto = onPath("moto_server");
        assertThat(moto || !"1".equals(System.getenv("TALLY_REQUIRE_MOTO"))).as("TALLY_REQUIRE_MOTO=1 but moto_server is not on PATH").isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(moto, "moto_server is not on PATH");
        Path state = temp.resolve("rehearsal");
        Result up = run(List.of("bash", REHEARSAL.toString(), "up"), state);
        long pid = Long.parseLong(Files.readString(state.resolve("moto.pid")).trim());
        try {
            assertThat(up.exit).as(up.output).isZero();
            assertThat(up.output).contains("export TALLY_DEPLOY_ENDPOINT_URL=http://127.0.0.1:", "export TALLY_DEPLOY_BUCKET=",
                    "export TALLY_DEPLOY_REHEARSAL_DIR=" + state);
            assertThat(ProcessHandle.of(pid)).isPresent();
            Result env = run(List.of("bash", REHEARSAL.toString(), "env"), state);
            assertThat(env.output).contains(Files.readString(state.resolve("endpoint")).trim());
        } finally {
            Result down = run(List.of("bash", REHEARSAL.toString(), "down"), state);
            assertThat(down.exit).as(down.output).isZero();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(state).doesNotExist();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Path state) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("TALLY_REHEARSAL_STATE", state.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
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
