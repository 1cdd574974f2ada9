package tally;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.sample.BookmarkGenerator;

/** When {@code stats} runs in a second, C1-only JVM, and that it then really does. */
@Tag("unit")
class QuickJitTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final List<String> JAR_ARGS = List.of("-Dtally.x=y", "-jar", "tally.jar", "stats", "in.jsonl");
    /** The heap limit of a JVM on a machine with 24 GB: a quarter of it. */
    private static final long BIG_HEAP = 6L << 30;

    @TempDir
    Path dir;

    /** A sparse file of {@code size} bytes: only its size matters here. */
    private Path sized(String name, long size) throws IOException {
        Path path = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "rw")) {
            f.setLength(size);
        }
        return path;
    }

    @Test
    void a_plain_file_of_moderate_size_runs_in_a_c1_only_jvm_with_the_same_arguments_and_the_archive() throws IOException {
        Path input = sized("in.jsonl", QuickJit.MIN_BYTES);
        Path archive = sized("tally.jsa", 1);

        Optional<List<String>> command = QuickJit.relaunchCommand(JAVA, JAR_ARGS, input, archive, BIG_HEAP);

        List<String> expected = new ArrayList<>(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC",
                "-Xmn256m", "-Dtally.quickJit=true", "-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off"));
        expected.addAll(JAR_ARGS);
        assertThat(command).contains(expected);
    }

    @Test
    void a_collector_named_on_the_command_line_is_the_one_the_second_jvm_uses() throws IOException {
        Path input = sized("in.jsonl", QuickJit.MIN_BYTES);

        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseZGC", "-XX:-UseParallelGC")) {
            List<String> args = List.of(collector, "-jar", "tally.jar", "stats", "in.jsonl");

            assertThat(QuickJit.relaunchCommand(JAVA, args, input, null, BIG_HEAP).orElseThrow()).as(collector)
                    .containsOnlyOnce(collector)
                    .doesNotContain("-XX:+UseParallelGC");
        }
    }

    @Test
    void the_young_generation_is_sized_only_with_room_for_it_and_no_size_or_collector_of_the_users() throws IOException {
        Path input = sized("in.jsonl", QuickJit.MIN_BYTES);

        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, input, null, 4 * QuickJit.YOUNG_BYTES).orElseThrow())
                .containsOnlyOnce("-Xmn256m");
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, input, null, 4 * QuickJit.YOUNG_BYTES - 1).orElseThrow())
                .noneMatch(a -> a.startsWith("-Xmn"));
        for (String option : List.of("-Xmn64m", "-XX:NewSize=64m", "-XX:MaxNewSize=64m", "-XX:NewRatio=3",
                "-XX:+UseG1GC")) {
            List<String> args = List.of(option, "-jar", "tally.jar", "stats", "in.jsonl");

            assertThat(QuickJit.relaunchCommand(JAVA, args, input, null, BIG_HEAP).orElseThrow()).as(option)
                    .doesNotContain("-Xmn256m")
                    .containsOnlyOnce(option);
        }
    }

    @Test
    void an_archive_named_on_the_command_line_is_kept_and_a_missing_one_is_not_offered() throws IOException {
        Path input = sized("in.jsonl", QuickJit.MIN_BYTES);
        List<String> withArchive = List.of("-XX:SharedArchiveFile=mine.jsa", "-jar", "tally.jar", "stats", "in.jsonl");

        assertThat(QuickJit.relaunchCommand(JAVA, withArchive, input, sized("tally.jsa", 1), BIG_HEAP).orElseThrow())
                .containsOnlyOnce("-XX:SharedArchiveFile=mine.jsa")
                .noneMatch(a -> a.endsWith("tally.jsa"));
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, input, dir.resolve("none.jsa"), BIG_HEAP).orElseThrow())
                .noneMatch(a -> a.startsWith("-XX:SharedArchiveFile"));
    }

    @Test
    void standard_input_gzip_and_small_large_or_missing_files_stay_in_this_jvm() throws IOException {
        Path gzip = sized("in.jsonl.gz", QuickJit.MIN_BYTES);
        try (RandomAccessFile f = new RandomAccessFile(gzip.toFile(), "rw")) {
            f.write(new byte[] {0x1f, (byte) 0x8b, 8, 0});
        }
        Path small = sized("small.jsonl", QuickJit.MIN_BYTES - 1);
        Path large = sized("large.jsonl", QuickJit.MAX_BYTES);

        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, null, null, BIG_HEAP)).isEmpty();
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, gzip, null, BIG_HEAP)).isEmpty();
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, small, null, BIG_HEAP)).isEmpty();
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, large, null, BIG_HEAP)).isEmpty();
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, dir.resolve("missing.jsonl"), null, BIG_HEAP)).isEmpty();
        assertThat(QuickJit.relaunchCommand(JAVA, JAR_ARGS, dir, null, BIG_HEAP)).isEmpty();
    }

    @Test
    void a_compiler_option_of_the_users_or_a_relaunched_jvm_is_left_alone() throws IOException {
        Path input = sized("in.jsonl", QuickJit.MIN_BYTES);

        for (String option : List.of("-XX:TieredStopAtLevel=4", "-XX:-TieredCompilation", "-Xint", "-Xcomp",
                "-XX:CompileCommand=quiet", "-Dtally.quickJit=true")) {
            List<String> args = new ArrayList<>(List.of(option));
            args.addAll(JAR_ARGS);
            assertThat(QuickJit.relaunchCommand(JAVA, args, input, null, BIG_HEAP)).as(option).isEmpty();
        }
        assertThat(QuickJit.relaunchCommand(null, JAR_ARGS, input, null, BIG_HEAP)).isEmpty();
    }

    @Test
    void the_command_line_as_the_os_keeps_it_gives_every_argument_after_the_program_empty_ones_too() {
        byte[] raw = "java\0-Xmx1g\0\0-jar\0tést.jar\0".getBytes(StandardCharsets.UTF_8);

        assertThat(QuickJit.splitCmdline(raw, StandardCharsets.UTF_8)).containsExactly("-Xmx1g", "", "-jar", "tést.jar");
        assertThat(QuickJit.splitCmdline("java\0stats\0last".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .as("no NUL after the last").containsExactly("stats", "last");
        assertThat(QuickJit.splitCmdline(new byte[0], StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void this_jvms_own_arguments_include_its_options_and_main_class() {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();

        List<String> own = QuickJit.ownArguments().orElseThrow();

        assertThat(own).containsAll(jvmOptions).hasSizeGreaterThan(jvmOptions.size());
    }

    @Test
    void the_exit_code_is_the_second_jvms() throws IOException {
        assertThat(QuickJit.run(List.of(JAVA, "-XX:TieredStopAtLevel=1", "-version"))).isZero();
        assertThat(QuickJit.run(List.of(JAVA, "--no-such-launcher-option"))).isNotZero();
    }

    /**
     * The test class path as a jar that only names it: the JDK reports no arguments for a command line
     * longer than about 4 KiB, and then nothing is relaunched.
     */
    private Path classPathJar() throws IOException {
        StringBuilder urls = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.append(Path.of(entry).toUri()).append(' ');
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, urls.toString().trim());
        Path jar = dir.resolve("classpath.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        return jar;
    }

    /**
     * A real process: the JVM the user started prints its flags, then so does the one it starts. Only
     * the second has TieredStopAtLevel=1 and the throughput collector, and the rows are the job's.
     */
    @Test
    void stats_of_a_file_from_the_command_line_runs_in_a_c1_only_jvm() throws Exception {
        Path input = Files.write(dir.resolve("in.jsonl"),
                new BookmarkGenerator(5).stream(QuickJit.MIN_BYTES).readAllBytes());
        Path rows = dir.resolve("rows.tsv");
        Path inProcess = dir.resolve("rows-in-process.tsv");
        assertThat(new StatsCommand(System.in, System.out, System.err).run(input.toString(), "--out",
                inProcess.toString())).isZero();

        Process p = new ProcessBuilder(JAVA, "-XX:+UnlockDiagnosticVMOptions", "-XX:+PrintFlagsFinal",
                "-cp", classPathJar().toString(), "tally.Main", "stats", input.toString(), "--out", rows.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out.txt")))
                .filteredOn(line -> line.contains(" TieredStopAtLevel "))
                .hasSize(2)
                .anyMatch(line -> line.matches(".*= 1 .*command line.*"));
        assertThat(Files.readAllLines(dir.resolve("out.txt")))
                .filteredOn(line -> line.contains(" UseParallelGC "))
                .hasSize(2)
                .anyMatch(line -> line.matches(".*= true .*command line.*"));
        if (maxHeapOfFirstJvm(dir.resolve("out.txt")) >= 4 * QuickJit.YOUNG_BYTES) {
            assertThat(Files.readAllLines(dir.resolve("out.txt")))
                    .filteredOn(line -> line.contains(" NewSize "))
                    .anyMatch(line -> line.matches(".*= " + QuickJit.YOUNG_BYTES + " .*command line.*"));
        }
        assertThat(Files.readAllBytes(rows)).isEqualTo(Files.readAllBytes(inProcess));
    }

    /** The MaxHeapSize printed first, the user's JVM's. */
    private static long maxHeapOfFirstJvm(Path flags) throws IOException {
        String line = Files.readAllLines(flags).stream().filter(l -> l.contains(" MaxHeapSize ")).findFirst()
                .orElseThrow();
        return Long.parseLong(line.replaceAll(".*= *(\\d+) .*", "$1"));
    }
}
