package tally;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@code stats} of a file of moderate size (from {@link #MIN_BYTES} to {@link #MAX_BYTES}) in
 * a JVM that compiles with C1 only.
 *
 * <p>Why: such a run is over in a few seconds at most, too short for C2 to pay for itself. On a
 * 2-core machine, C2 compiling the parser took 1.2 s of CPU in a 1.6 s run of the 206 MB benchmark
 * file, CPU the two parsing threads wanted; C1's code is slower, but it is ready at once. Measured
 * on this 2-core machine (the stats JVM alone, with the archive, 3 alternating runs each): 206 MB
 * in 1.00-1.15 s with C1 only against 1.78-2.50 s; 1 GB in 4.67-5.05 s against 4.97-5.23 s. So
 * files from {@link #MAX_BYTES} up keep the default compilers.
 *
 * <p>The second JVM also collects garbage with the throughput collector (ParallelGC) unless the
 * command line names a collector: its write barriers are cheaper than G1's, and its first young
 * generation is bigger. 206 MB: 0.80-1.00 s against 0.88-1.01 s with G1 (medians 0.88 and 0.96 s, 8
 * alternating runs each), peak RSS 202-211 MB against 180-183 MB; 1 GB: 4.65 s against 5.30 s,
 * RSS 378 MB against 417 MB.
 *
 * <p>Its young generation is {@link #YOUNG_BYTES} when the heap may grow to four times that. The
 * default one on this 24 GB machine, 126 MB, filled up near the end of a 206 MB run, and its one
 * collection, with the rows alive, stopped both threads for 34-41 ms. With room for all such a run
 * allocates (97 MB) nothing is collected, and memory is touched only as it is used. The second JVM
 * alone, two batches of 10 and 12 alternating runs (the first with 160 MB): medians 0.81 and 0.85 s
 * against 0.96 and 0.86 s, minimums 0.78 and 0.69 s against 0.83 and 0.75 s; peak RSS 157 MB against
 * 222 MB.
 * Files of 1 GB allocate little more (rows past the sort memory spill), so the one size serves them.
 *
 * <p>The JVM's compilers are chosen when it starts, so the choice means starting a second JVM with
 * the same command line plus those options (and the class-data archive beside the jar, when there
 * is one and the command line names none): about 0.15 s, paid only when it saves more. Nothing happens
 * when the user chose a compiler option, the input is standard input or gzip (its size says little
 * about the work), or this process's command line cannot be known.
 *
 * <p>The first JVM does as little as it can before it starts the second: the 0.14 s from its start
 * to the second JVM's (0.08 s of it the JVM's own start, 40-55 ms inside {@code ProcessBuilder.start})
 * are all overhead.
 */
final class QuickJit {
    /** Below this many bytes the second JVM's start costs more than C1 saves. */
    static final long MIN_BYTES = 8L << 20;
    /** Below this many bytes of plain input, C1 alone finishes first or as soon (see above). */
    static final long MAX_BYTES = 1L << 30;
    /** The second JVM's young generation, when its heap may grow to four times that. */
    static final long YOUNG_BYTES = 256L << 20;
    private static final String YOUNG_SIZE = "-Xmn".concat(Long.toString(YOUNG_BYTES >> 20)).concat("m");
    /** Marks the second JVM, so it never starts a third. */
    static final String RELAUNCHED = "tally.quickJit";

    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String THROUGHPUT_GC = "-XX:+UseParallelGC";
    private static final String QUIET_ARCHIVE = "-Xlog:cds=off,cds+dynamic=off";
    private static final List<String> COMPILER_OPTIONS =
            List.of("TieredStopAtLevel", "TieredCompilation", "-Xint", "-Xcomp", "-XX:CompileCommand", RELAUNCHED);

    private QuickJit() {
    }

    /**
     * The command line of a second JVM that runs {@code stats} with C1 only, or empty when this JVM
     * should run it. {@code command} and {@code arguments} are this process's, as the OS reports them;
     * {@code maxHeapBytes} its heap's limit, which the second JVM's will be too.
     */
    static Optional<List<String>> relaunchCommand(String command, List<String> jvmAndMainArguments, Path input,
            Path archive, long maxHeapBytes) {
        if (command == null || input == null || !isSmallPlainFile(input)) {
            return Optional.empty();
        }
        for (String argument : jvmAndMainArguments) {
            for (String option : COMPILER_OPTIONS) {
                if (argument.contains(option)) {
                    return Optional.empty();
                }
            }
        }
        boolean hasArchive = false;
        boolean hasCollector = false;
        boolean hasYoungSize = false;
        for (String argument : jvmAndMainArguments) {
            hasArchive |= argument.startsWith("-XX:SharedArchiveFile");
            // Not a regular expression: compiling one took 15 ms of this JVM's short life.
            hasCollector |= (argument.startsWith("-XX:+Use") || argument.startsWith("-XX:-Use")) && argument.endsWith("GC");
            hasYoungSize |= argument.startsWith("-Xmn") || argument.contains("NewSize") || argument.contains("NewRatio");
        }
        List<String> line = new ArrayList<>();
        line.add(command);
        line.add(C1_ONLY);
        if (!hasCollector) {
            line.add(THROUGHPUT_GC);
            // With a small heap the default (a third of it) stays: a young generation of more than half
            // the heap is refused with a warning on standard output, where the rows may be going.
            if (!hasYoungSize && maxHeapBytes >= 4 * YOUNG_BYTES) {
                line.add(YOUNG_SIZE);
            }
        }
        line.add("-D" + RELAUNCHED + "=true");
        if (!hasArchive && archive != null && Files.isRegularFile(archive)) {
            // An archive made for the jar at another path is refused with a warning on standard output,
            // where the rows may be going: the run then only goes without it, so say nothing.
            // concat, not +: javac's + bootstraps a method handle on first use, 10 ms in this JVM.
            line.add("-XX:SharedArchiveFile=".concat(archive.toString()));
            line.add(QUIET_ARCHIVE);
        }
        line.addAll(jvmAndMainArguments);
        return Optional.of(line);
    }

    /**
     * This JVM's arguments after the program name, as it was started: from /proc/self/cmdline where
     * there is one (a file read; {@link ProcessHandle.Info} starts a thread pool and several lambdas
     * first, about 30 ms here, and on Linux reports nothing past 4 KiB of command line), else from
     * {@link ProcessHandle}.
     */
    static Optional<List<String>> ownArguments() {
        // FileInputStream rather than Files: the channel classes Files reads through are not in the
        // JDK's own archive, and loading them took 5 ms of this JVM's short life.
        try (InputStream cmdline = new FileInputStream("/proc/self/cmdline")) {
            return Optional.of(splitCmdline(cmdline.readAllBytes(), nativeCharset()));
        } catch (FileNotFoundException e) {
            Optional<String[]> arguments = ProcessHandle.current().info().arguments();
            return arguments.map(List::of);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The arguments after the first in a NUL-terminated list (an empty argument stays one). */
    static List<String> splitCmdline(byte[] raw, Charset charset) {
        List<String> arguments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                arguments.add(new String(raw, start, i - start, charset));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            arguments.add(new String(raw, start, raw.length - start, charset));
        }
        return arguments.isEmpty() ? arguments : arguments.subList(1, arguments.size());
    }

    /** The charset the JVM decodes its own arguments and file names with. */
    private static Charset nativeCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", Charset.defaultCharset().name()));
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }

    /** Starts the second JVM with this one's standard streams and returns its exit code. */
    static int run(List<String> command) throws IOException {
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches both JVMs; a TERM sent to this one alone must not leave the other running.
        // A class, not a lambda: this JVM has no archive of its own classes, and a lambda's first use
        // costs milliseconds of class spinning here.
        Thread stop = new Thread("tally-stop-stats") {
            @Override
            public void run() {
                child.destroy();
            }
        };
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return child.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroy();
            return 1;
        }
    }

    private static boolean isSmallPlainFile(Path input) {
        try {
            if (!Files.isRegularFile(input)) {
                return false;
            }
            long size = Files.size(input);
            if (size < MIN_BYTES || size >= MAX_BYTES) {
                return false;
            }
            try (InputStream in = new FileInputStream(input.toFile())) { // see ownArguments
                byte[] magic = in.readNBytes(2);
                return !(magic.length == 2 && StatsCommand.isGzipMagic(magic[0], magic[1]));
            }
        } catch (IOException e) {
            return false; // the run itself reports what is wrong with the file
        }
    }
}
