package tally.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** jenkins/stages.sh, the one list of stage commands, and .ci/run, which must call it. */
@Tag("unit")
class StageScriptTest {

    @Test
    void the_stage_script_parses_with_bash() throws Exception {
        Result result = run("bash", "-n", "jenkins/stages.sh");
        assertThat(result.exit).as(result.output).isZero();
        result = run("bash", "-n", "jenkins/line-count.sh");
        assertThat(result.exit).as(result.output).isZero();
    }

    @Test
    void the_scripts_pass_shellcheck_where_it_is_installed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck is not installed");
        Result result = run("shellcheck", "jenkins/stages.sh", "jenkins/line-count.sh", ".ci/run", "bin/tally", "jenkins/readme-check.sh",
                "spark/bin/tally-spark-local");
        assertThat(result.exit).as(result.output).isZero();
    }

    @Test
    void list_prints_the_stages_of_all_in_pipeline_order() throws Exception {
        Result result = run("bash", "jenkins/stages.sh", "list");
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output.lines().toList())
                .containsExactlyElementsOf(Repository.stageScriptArray("STAGES"))
                .startsWith("setup", "build", "unit", "async", "db", "ui", "deploy-tests", "spark", "fuzz", "quality", "bench-smoke", "readme", "package")
                .endsWith("publish", "release-staging", "smoke-staging");
    }

    @Test
    void every_stage_has_its_function() {
        String script = Repository.read("jenkins/stages.sh");
        List<String> stages = Repository.stageScriptArray("STAGES");
        stages.addAll(Repository.stageScriptArray("PROMOTION_STAGES"));
        for (String stage : stages) {
            assertThat(script).contains("stage_" + stage.replace('-', '_') + "() {");
        }
    }

    @Test
    void an_unknown_stage_fails_loudly_and_names_the_known_ones() throws Exception {
        Result result = run("bash", "jenkins/stages.sh", "no-such-stage");
        assertThat(result.exit).isNotZero();
        assertThat(result.output).contains("unknown stage 'no-such-stage'", "setup build unit");
    }

    @Test
    void the_script_stops_at_the_first_failing_command() {
        assertThat(Repository.read("jenkins/stages.sh")).containsPattern("(?m)^set -euo pipefail$");
    }

    @Test
    void ci_runs_every_stage_through_the_script() {
        String ci = Repository.read(".ci/run");
        assertThat(ci).containsPattern("(?m)^set -euo pipefail$");
        assertThat(ci).containsPattern(Pattern.compile("(?m)^exec bash jenkins/stages\\.sh all$"));
    }

    @Test
    void the_readme_test_command_is_the_one_ci_runs() {
        assertThat(Repository.read("README.md")).contains("jenkins/stages.sh all");
    }

    @Test
    void the_deploy_tests_cannot_silently_skip_for_want_of_moto() {
        String script = Repository.read("jenkins/stages.sh");
        assertThat(script).containsPattern("TALLY_REQUIRE_MOTO=1 run_tests deploy");
    }

    @Test
    void the_db_tests_cannot_silently_skip_for_want_of_postgresql() {
        String script = Repository.read("jenkins/stages.sh");
        assertThat(script).containsPattern("TALLY_REQUIRE_DB=1 run_tests db");
        assertThat(script).contains("missing+=(postgresql-15)");
    }

    @Test
    void test_stages_do_not_recompile_and_each_keeps_its_own_coverage_file() {
        String script = Repository.read("jenkins/stages.sh");
        assertThat(script).contains("-Dtally.coverage.part=\"$tag\"", "jacoco:prepare-agent@tally-agent surefire:test");
        assertThat(Repository.read("pom.xml")).contains("jacoco-${tally.coverage.part}.exec");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        var log = Files.createTempFile("stages", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(Repository.path(".").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
