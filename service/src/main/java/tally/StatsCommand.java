package tally;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.FutureTask;
import java.util.zip.GZIPInputStream;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;
import tally.http.BuildVersion;
import tally.job.Failures;
import tally.job.JobConfig;
import tally.job.SummaryJson;
import tally.job.TagStatsJob;

/**
 * {@code tally stats FILE --out rows.tsv --summary summary.json}: the job from a file, no server.
 * Same rows and summary as the service. Exit code 0, 1 on an I/O error (one line on stderr), 2 on
 * a usage error.
 */
public final class StatsCommand {
    static final String NAME = "stats";
    static final String DESCRIPTION =
            "Compute the bookmark tag stats of a JSON-lines file (gzip detected) without a server.";

    private static final Option FILE = Option.parameter("FILE", "JSON lines to read; - reads standard input");
    private static final Option OUT = Option.value("--out", "FILE",
            "Where the rows go, sorted by id (emptied as the run starts); - is standard output").withDefault("-");
    private static final Option SUMMARY = Option.value("--summary", "FILE",
            "Where the summary JSON goes (not written if absent)");
    private static final Option HEADER = Option.flag(null, "--header", "Write the column names as the first line");
    private static final Option MAX_LINE_BYTES = Option.value("--max-line-bytes", "N",
            "Lines longer than this are skipped as too_long").withDefault(JobConfig.DEFAULT_MAX_LINE_BYTES);
    private static final Option SORT_MEMORY_BYTES = Option.value("--sort-memory-bytes", "N",
            "Rows held in memory before sorted runs spill to disk").withDefault(JobConfig.DEFAULT_SORT_MEMORY_BYTES);
    private static final Option THREADS = Option.value("--threads", "N",
            "Threads parsing blocks of lines; 0 is as many as the cores, up to 4").withDefault(0);
    private static final Option SPILL_DIR = Option.value("--spill-dir", "DIR",
            "Where sorted runs spill (default: the temp dir)");
    private static final List<Option> OPTIONS = List.of(FILE, OUT, SUMMARY, HEADER, MAX_LINE_BYTES,
            SORT_MEMORY_BYTES, THREADS, SPILL_DIR, CommandArgs.HELP, CommandArgs.VERSION);

    /** The first two bytes of a gzip file (RFC 1952). */
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream stderr;

    /** Null for standard input. */
    private Path input;
    /** Null for standard output. */
    private Path out;
    private Path summary;
    private boolean header;
    private Path spillDir;

    /** For callers that run the command in-process with their own streams. */
    public StatsCommand(InputStream stdin, OutputStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs {@code tally stats ARGS} and returns the exit code. */
    public int run(String... args) {
        JobConfig config;
        try {
            CommandArgs cli = CommandArgs.parse(OPTIONS, Map.of(), args);
            if (cli.answeredHelpOrVersion(stdout, StatsCommand::usage, () -> BuildVersion.current().line())) {
                return 0;
            }
            input = "-".equals(cli.required(FILE)) ? null : cli.path(FILE);
            out = "-".equals(cli.required(OUT)) ? null : cli.path(OUT);
            summary = cli.path(SUMMARY);
            header = cli.has(HEADER);
            spillDir = cli.path(SPILL_DIR);
            int maxLineBytes = Math.toIntExact(cli.bytes(MAX_LINE_BYTES));
            long sortMemoryBytes = cli.bytes(SORT_MEMORY_BYTES);
            int threads = cli.intValue(THREADS);
            config = new JobConfig(maxLineBytes, sortMemoryBytes, JobConfig.DEFAULT_MAX_EXACT_TERMS,
                    threads == 0 ? JobConfig.DEFAULT_THREADS : threads);
        } catch (UsageException e) {
            stderr.println("tally stats: " + e.getMessage());
            stderr.print(usage());
            return 2;
        } catch (IllegalArgumentException e) {
            // JobConfig's range checks: the message names the setting, as it always has.
            stderr.println("tally stats: " + e.getMessage());
            return 2;
        }
        try {
            compute(config);
            return 0;
        } catch (IOException | UncheckedIOException e) {
            stderr.println("tally stats: " + describe(e));
            return 1;
        }
    }

    static String usage() {
        return CommandArgs.usage("tally stats [OPTIONS] FILE", DESCRIPTION, OPTIONS);
    }

    private void compute(JobConfig config) throws IOException {
        // Sorted runs spill straight into the spill directory, as files only the job knows of (and
        // deletes): a directory of its own would be named by SecureRandom, whose start-up took
        // 20 ms of a one-second run.
        Path spill = spillDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : spillDir;
        if (!Files.isDirectory(spill)) {
            // Said now rather than when the rows first spill, perhaps minutes into the run.
            throw new IOException("no such spill directory: " + spill);
        }
        try (TagStatsJob job = new TagStatsJob(config, spill); InputStream in = decompressed(open(input))) {
            // Opening the output empties a file already there, as a shell's redirection would: 15 ms
            // of kernel work for the rows of a 206 MB input, so it is done while the input is read.
            // Not when the output is the input file (as `sort -o` allows): that one is read to its end first.
            FutureTask<OutputStream> rowsOut = new FutureTask<>(() -> out == null ? new KeptOpen(stdout)
                    : Files.newOutputStream(out));
            boolean openedEarly = !isInputFile(out);
            if (openedEarly) {
                start(rowsOut, "tally-stats-output");
            }
            boolean handedOver = false;
            try {
                job.acceptAll(in);
                job.endInput();
                if (!openedEarly) {
                    rowsOut.run();
                }
                // The summary needs only the totals and the rows only the sorter: the summary's figures
                // and JSON (about 70 ms of a 206 MB run) are made on another thread while the rows are
                // written. Into memory: the file is written only once the rows were, as before.
                FutureTask<byte[]> summaryJson = new FutureTask<>(() -> {
                    ByteArrayOutputStream json = new ByteArrayOutputStream();
                    SummaryJson.write(job.result().summary(), json);
                    return json.toByteArray();
                });
                if (summary != null) {
                    start(summaryJson, "tally-stats-summary");
                }
                handedOver = true;
                try (OutputStream rows = Failures.await(rowsOut, "opening the output")) {
                    if (header) {
                        rows.write(TagStatsJob.HEADER.getBytes(UTF_8));
                    }
                    job.writeRows(rows);
                }
                if (summary != null) {
                    Files.write(summary, Failures.await(summaryJson, "making the summary"));
                }
            } finally {
                if (openedEarly && !handedOver) {
                    closeOnceOpened(rowsOut);
                }
            }
        }
    }

    /** Whether {@code file} is the input file itself, by another name perhaps, or what standard input reads. */
    private boolean isInputFile(Path file) {
        if (file == null || !Files.exists(file)) {
            return false;
        }
        try {
            return Files.isSameFile(input == null ? Path.of("/dev/stdin") : input, file);
        } catch (IOException e) {
            return false; // standard input is a pipe or a terminal, or there is no /dev/stdin
        }
    }

    private static void start(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** The run failed before the rows were written: the output, if it opened, is closed, not leaked. */
    private static void closeOnceOpened(FutureTask<OutputStream> rowsOut) {
        try {
            Failures.await(rowsOut, "opening the output").close();
        } catch (IOException | RuntimeException e) {
            // The run's own failure is the one to report.
        }
    }

    private InputStream open(Path file) throws IOException {
        return file == null ? new NonClosing(stdin) : Files.newInputStream(file);
    }

    /** Gzip is recognised by its magic bytes (RFC 1952), whatever the file is called. */
    private static InputStream decompressed(InputStream raw) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        if (magic.length == 2 && isGzipMagic(magic[0], magic[1])) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /** Whether a file starting with these two bytes is gzip, whatever it is called. */
    static boolean isGzipMagic(byte first, byte second) {
        return (first & 0xff) == GZIP_MAGIC_1 && (second & 0xff) == GZIP_MAGIC_2;
    }

    /** One line for stderr: the JDK's message for a missing file is only its name. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Standard output stays open for whoever owns it; closing only flushes. */
    static final class KeptOpen extends OutputStream {
        private final OutputStream out;

        KeptOpen(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** Standard input stays open for whoever owns it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
