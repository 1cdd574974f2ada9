package tally.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/tally chooses JVM options per command: the command line it would run ({@code
 * TALLY_LAUNCHER_DRY_RUN=1}) for each case, from an unpacked release's layout (bin/, lib/).
 */
@Tag("unit")
class LauncherTest {
    static final Path LAUNCHER = Path.of("..", "bin", "tally").toAbsolutePath().normalize();

    @TempDir
    Path release;
    private Path jar;

    @BeforeEach
    void unpackRelease() throws IOException {
        Files.createDirectories(release.resolve("bin"));
        Files.createDirectories(release.resolve("lib"));
        Files.copy(LAUNCHER, release.resolve("bin/tally"));
        jar = Files.writeString(release.resolve("lib/tally.jar"), "a jar");
    }

    @Test
    void stats_of_a_plain_file_runs_with_c1_only_the_throughput_collector_and_the_archive() throws Exception {
        Files.writeString(release.resolve("lib/tally.jsa"), "an archive");
        Path input = Files.writeString(release.resolve("in.jsonl"), "{}\n");

        List<String> line = dryRun(Map.of(), "stats", "--out", "rows.tsv", input.toString(), "--summary", "s.json");

        assertThat(line).contains("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC",
                "-XX:SharedArchiveFile=" + release.resolve("lib/tally.jsa"), "-Xlog:cds=off");
        assertThat(line.subList(line.indexOf("-jar"), line.size())).containsExactly("-jar", jar.toString(), "stats",
                "--out", "rows.tsv", input.toString(), "--summary", "s.json");
    }

    @Test
    void stats_of_gzip_or_standard_input_keeps_both_compilers() throws Exception {
        Path gzip = release.resolve("in.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write("{}\n".getBytes(UTF_8));
        }

        assertThat(dryRun(Map.of(), "stats", gzip.toString())).doesNotContain("-XX:TieredStopAtLevel=1")
                .contains("-XX:+UseParallelGC");
        assertThat(dryRun(Map.of(), "stats", "-", "--out", "rows.tsv")).doesNotContain("-XX:TieredStopAtLevel=1");
    }

    @Test
    void the_users_own_compiler_and_collector_options_win() throws Exception {
        Path input = Files.writeString(release.resolve("in.jsonl"), "{}\n");

        List<String> line = dryRun(Map.of("TALLY_JAVA_OPTS", "-XX:TieredStopAtLevel=4 -XX:+UseG1GC -Xmx2g"),
                "stats", input.toString());

        assertThat(line).doesNotContain("-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC", "-Xmn256m")
                .contains("-XX:TieredStopAtLevel=4", "-XX:+UseG1GC", "-Xmx2g");
        assertThat(line.indexOf("-Xmx2g")).isLessThan(line.indexOf("-jar"));
    }

    @Test
    void the_server_runs_c1_only_returns_idle_heap_and_uses_the_archive_when_there_is_one() throws Exception {
        assertThat(dryRun(Map.of(), "--port", "0")).containsOnlyOnce("-XX:G1PeriodicGCInterval=60000")
                .containsOnlyOnce("-XX:TieredStopAtLevel=1").doesNotContain("-XX:+UseParallelGC")
                .endsWith("-jar", jar.toString(), "--port", "0");
        assertThat(dryRun(Map.of("TALLY_JAVA_OPTS", "-XX:TieredStopAtLevel=4"), "--port", "0"))
                .doesNotContain("-XX:TieredStopAtLevel=1").contains("-XX:TieredStopAtLevel=4");
        assertThat(dryRun(Map.of(), "generate", "--size", "1M")).noneMatch(o -> o.startsWith("-XX:"));

        Files.writeString(release.resolve("lib/tally.jsa"), "an archive");
        assertThat(dryRun(Map.of(), "--port", "0")).contains("-XX:SharedArchiveFile=" + release.resolve("lib/tally.jsa"))
                .doesNotContain("-XX:+UseParallelGC");
    }

    @Test
    void java_comes_from_java_home_and_a_missing_jar_is_a_clear_error() throws Exception {
        Path javaHome = Path.of(System.getProperty("java.home"));
        assertThat(dryRun(Map.of("JAVA_HOME", javaHome.toString()), "generate").get(0))
                .isEqualTo(javaHome.resolve("bin/java").toString());

        Files.delete(jar);
        Result result = run(Map.of("TALLY_LAUNCHER_DRY_RUN", "1", "TALLY_JAR", release.resolve("nowhere.jar").toString()),
                "stats", "x");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).contains("no jar at " + release.resolve("nowhere.jar")).contains("TALLY_JAR");
    }

    private List<String> dryRun(Map<String, String> env, String... args) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("TALLY_LAUNCHER_DRY_RUN", "1");
        Result result = run(all, args);
        assertThat(result.exit()).as(result.stderr()).isZero();
        return List.of(result.stdout().strip().split(" "));
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", release.resolve("bin/tally").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("TALLY_JAVA_OPTS");
        builder.environment().remove("TALLY_JAR");
        builder.environment().putAll(env);
        Path out = release.resolve("stdout");
        Path err = release.resolve("stderr");
        Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
