package tally.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The controller as code (jenkins/): what can be checked without a Docker engine. */
@Tag("unit")
class ControllerConfigTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    @Test
    void every_plugin_is_pinned_to_an_exact_version() {
        Map<String, String> plugins = PluginsTxt.read();
        assertThat(plugins).isNotEmpty();
        plugins.forEach((id, version) -> assertThat(version)
                .as("version of %s", id)
                .matches("[0-9][0-9A-Za-z._-]*")
                .doesNotContain("latest", "experimental"));
    }

    @Test
    void the_casc_file_parses_and_defines_security_an_agent_credentials_and_the_seed_job() {
        Map<String, Object> casc = yaml("jenkins/jenkins.yaml");
        Map<String, Object> jenkins = map(casc.get("jenkins"));

        assertThat(map(jenkins.get("securityRealm"))).containsKey("local");
        assertThat(map(map(jenkins.get("securityRealm")).get("local"))).containsEntry("allowsSignup", false);
        assertThat(jenkins).containsKey("authorizationStrategy");

        Map<String, Object> agent = map(map(list(jenkins.get("nodes")).get(0)).get("permanent"));
        assertThat(agent).containsEntry("labelString", "tally");
        assertThat(map(agent.get("launcher"))).containsKey("ssh");

        String seed = String.valueOf(map(list(casc.get("jobs")).get(0)).get("script"));
        assertThat(seed).contains("multibranchPipelineJob('tally')", "scriptPath('Jenkinsfile')", "${TALLY_REPO_URL}");
    }

    @Test
    void secrets_come_from_environment_placeholders_never_from_the_file() {
        String text = Repository.read("jenkins/jenkins.yaml");
        for (String key : List.of("accessKey", "secretKey", "privateKey", "password")) {
            Matcher matcher = Pattern.compile("(?m)^\\s*" + key + ":\\s*(.*)$").matcher(text);
            assertThat(matcher.find()).as("jenkins.yaml sets %s", key).isTrue();
            assertThat(matcher.group(1).trim()).as(key).matches("\"\\$\\{[A-Z_]+}\"");
        }
    }

    @Test
    void every_placeholder_of_the_casc_file_is_passed_by_the_compose_file() {
        Set<String> placeholders = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(Repository.read("jenkins/jenkins.yaml"));
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        Map<String, Object> controller = map(map(yaml("jenkins/docker-compose.yml").get("services")).get("controller"));
        assertThat(map(controller.get("environment")).keySet()).containsAll(placeholders);
    }

    @Test
    void the_compose_file_parses_and_builds_the_controller_and_the_agent_from_this_folder() {
        Map<String, Object> services = map(yaml("jenkins/docker-compose.yml").get("services"));
        assertThat(services).containsOnlyKeys("controller", "agent");
        assertThat(map(map(services.get("controller")).get("build"))).containsEntry("dockerfile", "Dockerfile");
        assertThat(map(map(services.get("agent")).get("build"))).containsEntry("dockerfile", "agent.Dockerfile");
        assertThat(Repository.path("jenkins/Dockerfile")).isRegularFile();
        assertThat(Repository.path("jenkins/agent.Dockerfile")).isRegularFile();
    }

    @Test
    void the_controller_image_installs_plugins_txt_and_the_agent_image_has_what_the_stages_need() {
        assertThat(Repository.read("jenkins/Dockerfile"))
                .contains("jenkins-plugin-cli --plugin-file /usr/share/jenkins/ref/plugins.txt", "CASC_JENKINS_CONFIG");
        assertThat(Repository.read("jenkins/agent.Dockerfile"))
                .contains("maven", "chromium", "chromium-driver", "moto[server]", "jdk");
    }

    @Test
    void the_casc_sections_used_have_their_plugins_listed() {
        Map<String, Object> casc = yaml("jenkins/jenkins.yaml");
        Set<String> plugins = PluginsTxt.read().keySet();
        assertThat(plugins).contains("configuration-as-code");
        if (casc.containsKey("jobs")) {
            assertThat(plugins).contains("job-dsl", "workflow-multibranch", "git");
        }
        String text = Repository.read("jenkins/jenkins.yaml");
        if (text.contains("globalMatrix:")) {
            assertThat(plugins).contains("matrix-auth");
        }
        if (text.contains("- aws:")) {
            assertThat(plugins).contains("aws-credentials");
        }
        if (text.contains("ssh:")) {
            assertThat(plugins).contains("ssh-slaves", "ssh-credentials");
        }
        if (text.contains("lockableResourcesManager:")) {
            assertThat(plugins).contains("lockable-resources");
        }
    }

    private static Map<String, Object> yaml(String relative) {
        return new Yaml().load(Repository.read(relative));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
