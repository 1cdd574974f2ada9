package tally.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import tally.pipeline.PipelineScript.Call;

@Tag("unit")
class JenkinsfileTest {

    private static final Pattern STAGE_COMMAND = Pattern.compile("^\\./jenkins/stages\\.sh ([a-z-]+)$");
    private static final String JUNIT_REPORTS = "**/target/surefire-reports/TEST-*.xml";

    /**
     * Which plugin brings each name the Jenkinsfile calls ("core" for Jenkins itself). A new step must be
     * added here and its plugin to jenkins/plugins.txt, or the controller would reject the Jenkinsfile.
     */
    private static final Map<String, String> PLUGIN_OF_STEP = Map.ofEntries(
            // Declarative syntax.
            Map.entry("pipeline", "pipeline-model-definition"),
            Map.entry("agent", "pipeline-model-definition"),
            Map.entry("label", "pipeline-model-definition"),
            Map.entry("options", "pipeline-model-definition"),
            Map.entry("environment", "pipeline-model-definition"),
            Map.entry("stages", "pipeline-model-definition"),
            Map.entry("stage", "pipeline-model-definition"),
            Map.entry("steps", "pipeline-model-definition"),
            Map.entry("parallel", "pipeline-model-definition"),
            Map.entry("when", "pipeline-model-definition"),
            Map.entry("branch", "pipeline-model-definition"),
            Map.entry("beforeAgent", "pipeline-model-definition"),
            Map.entry("beforeOptions", "pipeline-model-definition"),
            Map.entry("post", "pipeline-model-definition"),
            Map.entry("always", "pipeline-model-definition"),
            Map.entry("success", "pipeline-model-definition"),
            Map.entry("failure", "pipeline-model-definition"),
            // Options.
            Map.entry("timeout", "workflow-basic-steps"),
            Map.entry("disableConcurrentBuilds", "workflow-job"),
            Map.entry("buildDiscarder", "core"),
            Map.entry("logRotator", "core"),
            Map.entry("timestamps", "timestamper"),
            Map.entry("lock", "lockable-resources"),
            // Steps.
            Map.entry("sh", "workflow-durable-task-step"),
            Map.entry("input", "pipeline-input-step"),
            Map.entry("withCredentials", "credentials-binding"),
            Map.entry("aws", "aws-credentials"),
            Map.entry("junit", "junit"),
            Map.entry("archiveArtifacts", "core"),
            Map.entry("recordCoverage", "coverage"),
            Map.entry("recordIssues", "warnings-ng"),
            Map.entry("spotBugs", "warnings-ng"),
            Map.entry("pmdParser", "warnings-ng"),
            Map.entry("cpd", "warnings-ng"));

    private static final PipelineScript JENKINSFILE = PipelineScript.parse(Repository.read("Jenkinsfile"));

    @Test
    void the_jenkinsfile_is_one_declarative_pipeline_without_a_global_agent() {
        assertThat(JENKINSFILE.roots()).extracting(Call::name).containsExactly("pipeline");
        Call agent = pipeline().children("agent").findFirst().orElseThrow();
        assertThat(agent.args()).singleElement()
                .isInstanceOfSatisfying(VariableExpression.class, none -> assertThat(none.getName()).isEqualTo("none"));
    }

    @Test
    void pipeline_options_bound_time_abort_superseded_builds_discard_old_ones_and_stamp_the_log() {
        Call options = pipeline().children("options").findFirst().orElseThrow();
        assertThat(options.body()).extracting(Call::name)
                .contains("timeout", "disableConcurrentBuilds", "buildDiscarder", "timestamps");
        Call disable = options.children("disableConcurrentBuilds").findFirst().orElseThrow();
        assertThat(disable.named("abortPrevious")).contains(true);
    }

    @Test
    void stages_call_the_stage_script_in_the_order_of_the_script_itself() {
        List<String> expected = Repository.stageScriptArray("STAGES");
        expected.addAll(Repository.stageScriptArray("PROMOTION_STAGES"));

        assertThat(scriptStagesInJenkinsfileOrder()).containsExactlyElementsOf(expected);
    }

    @Test
    void each_stage_is_named_after_the_script_stage_it_runs() {
        JENKINSFILE.named("sh").forEach(sh -> {
            String scriptStage = scriptStageOf(sh).orElseThrow(
                    () -> new AssertionError(sh + " does not call ./jenkins/stages.sh STAGE: keep logic in the script"));
            Call stage = enclosingStage(sh);
            assertThat(stage.literal()).as("stage around %s", sh).contains(scriptStage);
        });
    }

    @Test
    void test_stages_unit_async_db_and_ui_run_in_parallel() {
        Call parallel = JENKINSFILE.named("parallel").findFirst().orElseThrow();
        assertThat(parallel.children("stage").map(stage -> stage.literal().orElseThrow()))
                .containsExactly("unit", "async", "db", "ui");
    }

    @Test
    void every_post_records_junit_results_always() {
        List<Call> posts = JENKINSFILE.named("post").toList();
        assertThat(posts).isNotEmpty();
        for (Call post : posts) {
            Call always = post.children("always").findFirst()
                    .orElseThrow(() -> new AssertionError(post + " has no always block"));
            assertThat(always.children("junit").map(junit -> junit.named("testResults").orElseThrow()))
                    .as("junit in %s", post)
                    .containsExactly(JUNIT_REPORTS);
        }
    }

    @Test
    void every_test_stage_records_its_junit_results_where_it_ran() {
        for (String name : List.of("unit", "async", "db", "ui", "deploy-tests", "spark")) {
            Call stage = stage(name);
            assertThat(stage.children("post").flatMap(post -> post.children("always"))
                    .anyMatch(always -> always.children("junit").findAny().isPresent()))
                    .as("stage %s records JUnit results", name)
                    .isTrue();
        }
    }

    @Test
    void screenshots_and_the_jar_are_archived_always() {
        List<String> archived = JENKINSFILE.named("archiveArtifacts")
                .filter(call -> call.ancestors().anyMatch(ancestor -> ancestor.name().equals("always")))
                .map(call -> String.valueOf(call.named("artifacts").orElseThrow()))
                .toList();
        // Failure screenshots and page sources (tally.web.Browser), the README screenshots, and the jar.
        assertThat(String.join(",", archived))
                .contains("**/target/ui-failures/**", "**/target/screenshots/**", "service/target/tally.jar");
    }

    @Test
    void deploy_stages_run_only_on_main() {
        Set<String> deploying = new LinkedHashSet<>(List.of("publish", "release-staging", "smoke-staging",
                "approve-production", "release-production", "smoke-production"));
        for (String name : deploying) {
            Call stage = stage(name);
            assertThat(gatedOnMain(stage)).as("stage %s is gated on branch main", name).isTrue();
        }
        for (String name : List.of("setup", "build", "unit", "async", "db", "ui", "deploy-tests", "spark", "fuzz", "quality", "bench-smoke", "readme",
                "package")) {
            assertThat(gatedOnMain(stage(name))).as("stage %s runs on every branch", name).isFalse();
        }
    }

    @Test
    void the_promotion_waits_for_a_person_outside_any_agent_and_inside_a_timeout() {
        Call input = JENKINSFILE.named("input").findFirst().orElseThrow();
        Call stage = enclosingStage(input);
        assertThat(stage.literal()).contains("approve-production");
        assertThat(input.ancestors().map(Call::name)).contains("timeout");
        // No agent on the stage or around it, except `agent none`.
        input.ancestors()
                .flatMap(ancestor -> ancestor.children("agent"))
                .forEach(agent -> assertThat(agent.args()).singleElement()
                        .isInstanceOfSatisfying(VariableExpression.class,
                                none -> assertThat(none.getName()).isEqualTo("none")));
        assertThat(gatedOnMain(stage)).isTrue();
    }

    @Test
    void each_environment_is_released_under_its_own_lock() {
        Map<String, String> lockOf = new LinkedHashMap<>();
        lockOf.put("release-staging", "tally-staging");
        lockOf.put("smoke-staging", "tally-staging");
        lockOf.put("release-production", "tally-production");
        lockOf.put("smoke-production", "tally-production");
        lockOf.forEach((name, resource) -> {
            List<Object> locks = stage(name).ancestors()
                    .flatMap(ancestor -> ancestor.children("options"))
                    .flatMap(options -> options.children("lock"))
                    .map(lock -> lock.named("resource").orElseThrow())
                    .collect(Collectors.toList());
            assertThat(locks).as("locks around %s", name).containsExactly(resource);
        });
    }

    @Test
    void deploy_stages_get_aws_credentials_only_through_with_credentials() {
        for (String name : List.of("publish", "release-staging", "smoke-staging", "release-production", "smoke-production")) {
            Call sh = stage(name).descendants().filter(call -> call.name().equals("sh")).findFirst().orElseThrow();
            assertThat(sh.ancestors().map(Call::name)).as("around the sh of %s", name).contains("withCredentials");
        }
        String text = Repository.read("Jenkinsfile");
        assertThat(text).doesNotContainPattern("(?i)AKIA[0-9A-Z]{16}").doesNotContain("secretKey:");
    }

    @Test
    void sh_under_with_credentials_is_single_quoted_so_groovy_interpolates_no_secret() {
        List<Call> guarded = JENKINSFILE.named("sh")
                .filter(sh -> sh.ancestors().anyMatch(ancestor -> ancestor.name().equals("withCredentials")))
                .toList();
        assertThat(guarded).hasSizeGreaterThanOrEqualTo(5);
        for (Call sh : guarded) {
            Expression command = sh.args().get(0);
            assertThat(command).as("%s", sh).isInstanceOf(ConstantExpression.class);
            assertThat(JENKINSFILE.firstCharOf(command)).as("quote of %s", sh).isEqualTo('\'');
        }
    }

    @Test
    void list_literals_have_no_trailing_comma_which_jenkins_groovy_2_4_may_reject() {
        assertThat(Repository.read("Jenkinsfile")).doesNotContainPattern(",\\s*[\\])]");
    }

    @Test
    void no_sh_step_anywhere_interpolates_groovy_strings() {
        assertThat(JENKINSFILE.named("sh").flatMap(sh -> sh.args().stream()))
                .isNotEmpty()
                .noneMatch(GStringExpression.class::isInstance);
    }

    @Test
    void quality_reports_are_recorded_with_gates() {
        Call coverage = JENKINSFILE.named("recordCoverage").findFirst().orElseThrow();
        assertThat(coverage.node().getArguments().getText()).contains("JACOCO");
        assertThat(coverage.hasNamed("qualityGates")).isTrue();
        Call issues = JENKINSFILE.named("recordIssues").findFirst().orElseThrow();
        assertThat(issues.hasNamed("qualityGates")).isTrue();
        assertThat(JENKINSFILE.allCallNames()).contains("spotBugs", "pmdParser", "cpd");
        // Recorded even when the Maven gates fail the stage: in an `always` block.
        assertThat(coverage.ancestors().map(Call::name)).contains("always");
        assertThat(issues.ancestors().map(Call::name)).contains("always");
    }

    @Test
    void every_step_used_comes_from_a_plugin_listed_in_plugins_txt() {
        Set<String> unknown = new LinkedHashSet<>(JENKINSFILE.allCallNames());
        unknown.removeAll(PLUGIN_OF_STEP.keySet());
        assertThat(unknown).as("steps missing from PLUGIN_OF_STEP (and maybe from plugins.txt)").isEmpty();

        Set<String> listed = PluginsTxt.read().keySet();
        List<String> missing = new ArrayList<>();
        for (String step : new LinkedHashSet<>(JENKINSFILE.allCallNames())) {
            String plugin = PLUGIN_OF_STEP.get(step);
            if (!plugin.equals("core") && !listed.contains(plugin)) {
                missing.add(step + " -> " + plugin);
            }
        }
        assertThat(missing).as("plugins used by the Jenkinsfile but not in plugins.txt").isEmpty();
    }

    @Test
    void the_agent_label_and_credential_id_are_those_the_controller_defines() {
        String casc = Repository.read("jenkins/jenkins.yaml");
        JENKINSFILE.named("label").forEach(label -> assertThat(casc).contains("labelString: \"" + label.literal().orElseThrow() + "\""));
        JENKINSFILE.named("aws").forEach(aws -> assertThat(casc).contains("id: \"" + aws.named("credentialsId").orElseThrow() + "\""));
        JENKINSFILE.named("lock").forEach(lock -> assertThat(casc).contains("name: \"" + lock.named("resource").orElseThrow() + "\""));
    }

    private Call pipeline() {
        return JENKINSFILE.roots().get(0);
    }

    private Call stage(String name) {
        return JENKINSFILE.named("stage")
                .filter(stage -> stage.literal().filter(name::equals).isPresent())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no stage '" + name + "' in the Jenkinsfile"));
    }

    private List<String> scriptStagesInJenkinsfileOrder() {
        return JENKINSFILE.named("sh").map(JenkinsfileTest::scriptStageOf).flatMap(Optional::stream).toList();
    }

    private static Optional<String> scriptStageOf(Call sh) {
        return sh.literal().map(STAGE_COMMAND::matcher).filter(Matcher::matches).map(matcher -> matcher.group(1));
    }

    private static Call enclosingStage(Call call) {
        return call.ancestors().filter(ancestor -> ancestor.name().equals("stage")).findFirst().orElseThrow();
    }

    /** The stage, or a stage around it, has {@code when { branch 'main' }}. */
    private static boolean gatedOnMain(Call stage) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(stage), stage.ancestors())
                .flatMap(each -> each.children("when"))
                .flatMap(when -> when.children("branch"))
                .anyMatch(branch -> branch.literal().filter("main"::equals).isPresent());
    }
}
