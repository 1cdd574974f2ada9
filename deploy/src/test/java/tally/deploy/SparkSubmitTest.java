package tally.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SparkSubmitTest {
    private static final SparkSubmit SUBMIT = new SparkSubmit("tally.spark.SparkStatsJob", List.of("spark.driver.memory=8g"),
            "s3://b/releases/1/tally-spark.jar", List.of("s3://in/", "s3://out/run", "--partitions", "3"));

    @Test
    void a_step_runs_the_jar_in_cluster_mode_with_the_jobs_arguments_after_it() {
        assertThat(SUBMIT.args()).containsExactly("spark-submit", "--deploy-mode", "cluster", "--class", "tally.spark.SparkStatsJob",
                "--conf", "spark.driver.memory=8g", "s3://b/releases/1/tally-spark.jar", "s3://in/", "s3://out/run", "--partitions", "3");
    }

    @Test
    void the_arguments_read_back_are_the_ones_submitted() {
        assertThat(SparkSubmit.parse(SUBMIT.args())).isEqualTo(SUBMIT);
    }

    @Test
    void options_of_spark_submit_without_a_value_and_unknown_ones_are_skipped() {
        SparkSubmit parsed = SparkSubmit.parse(List.of("spark-submit", "--verbose", "--master", "yarn", "--class", "C", "app.jar", "--x"));

        assertThat(parsed).isEqualTo(new SparkSubmit("C", List.of(), "app.jar", List.of("--x")));
    }

    @Test
    void other_commands_and_incomplete_ones_are_refused() {
        assertThatThrownBy(() -> SparkSubmit.parse(List.of("s3-dist-cp", "--src", "x"))).hasMessageContaining("not a spark-submit command");
        assertThatThrownBy(() -> SparkSubmit.parse(List.of("spark-submit", "--class", "C"))).hasMessageContaining("without a jar");
        assertThatThrownBy(() -> SparkSubmit.parse(List.of("spark-submit", "app.jar"))).hasMessageContaining("without --class");
        assertThatThrownBy(() -> SparkSubmit.parse(List.of("spark-submit", "--class"))).hasMessageContaining("--class has no value");
    }
}
