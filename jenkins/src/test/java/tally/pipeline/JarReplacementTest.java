package tally.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A server started from service/target/tally.jar keeps serving while a build (the test command, say)
 * makes a new jar: no step of the build may rewrite that file in place, only rename a new one over it.
 * (Rewritten in place, the running server's next class load read the new bytes: NoClassDefFoundError.)
 */
@Tag("unit")
class JarReplacementTest {
    @Test
    void the_service_build_writes_its_jars_elsewhere_and_renames_the_runnable_one_into_place() {
        String pom = Repository.read("service/pom.xml").replaceAll("\\s+", " ");

        assertThat(pom).as("the thin jar goes to target/thin/")
                .contains("<artifactId>maven-jar-plugin</artifactId> <configuration> "
                        + "<outputDirectory>${project.build.directory}/thin</outputDirectory>");
        assertThat(pom).as("the shaded jar is written to a new file")
                .contains("<outputFile>${project.build.directory}/tally.jar.new</outputFile>");
        assertThat(pom).as("and renamed over the old one")
                .contains("<executable>mv</executable> <arguments> <argument>-f</argument> "
                        + "<argument>${project.build.directory}/tally.jar.new</argument> "
                        + "<argument>${project.build.directory}/tally.jar</argument>");
        assertThat(pom.indexOf("<id>jar-into-place</id>")).as("before the archive is made from the jar")
                .isLessThan(pom.indexOf("<id>cds-archive</id>"));
    }
}
