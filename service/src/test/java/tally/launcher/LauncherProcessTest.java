package tally.launcher;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.job.JobConfig;
import tally.job.SummaryJson;
import tally.job.TagStatsJob;
import tally.sample.BookmarkGenerator;

/**
 * bin/tally for real: a jar whose manifest points at this build's classes (what the shaded jar holds),
 * run through the launcher as a user runs it.
 */
@Tag("async")
class LauncherProcessTest {
    @TempDir
    Path dir;

    @Test
    void stats_through_the_launcher_writes_the_jobs_rows_and_summary() throws Exception {
        Path input = dir.resolve("bookmarks.jsonl");
        try (OutputStream out = Files.newOutputStream(input)) {
            new BookmarkGenerator(7, 0.02).write(out, 2_000_000);
        }
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), dir)) {
            job.accept(Files.readAllBytes(input), 0, (int) Files.size(input));
            SummaryJson.write(job.finish(rows).summary(), summary);
        }

        Process p = launcher("stats", input.toString(), "--out", dir.resolve("rows.tsv").toString(),
                "--summary", dir.resolve("summary.json").toString()).start();

        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), UTF_8)).isZero();
        assertThat(Files.readAllBytes(dir.resolve("rows.tsv"))).isEqualTo(rows.toByteArray());
        assertThat(Files.readString(dir.resolve("summary.json"))).isEqualTo(summary.toString(UTF_8));
    }

    @Test
    void the_launcher_becomes_the_java_process_that_serves() throws Exception {
        Process p = launcher("--host", "127.0.0.1", "--port", "0", "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true).start();
        try (BufferedReader log = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8))) {
            String line;
            do {
                line = log.readLine();
            } while (line != null && !line.contains("Tally listening on"));
            assertThat(line).as("the server's log line that says it listens").isNotNull();
            // exec: the process the shell started is the JVM, so kill, systemd and exit codes reach it.
            assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("java"));
        } finally {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // The JVM itself took the SIGTERM (128 + 15), ran its drain and exited: no shell in between.
        assertThat(p.exitValue()).isEqualTo(143);
    }

    private ProcessBuilder launcher(String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        builder.environment().put("TALLY_JAR", thinJar().toString());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().remove("TALLY_JAVA_OPTS");
        return builder;
    }

    private static List<String> command(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("sh", LauncherTest.LAUNCHER.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A jar that holds only a manifest: tally.Main, and this test run's class path as its Class-Path. */
    private Path thinJar() throws IOException {
        Path jar = dir.resolve("tally.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, "tally.Main");
        main.put(Attributes.Name.CLASS_PATH, List.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .stream().map(e -> Path.of(e).toUri().toString()).collect(Collectors.joining(" ")));
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }
}
