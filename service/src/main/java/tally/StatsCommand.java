package tally;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.SummaryJson;
import tally.job.TagStatsJob;

/**
 * {@code tally stats FILE --out rows.tsv --summary summary.json}: the job from a file, no server.
 * Same rows and summary as the service. Exit code 0, 1 on an I/O error (one line on stderr), 2 on
 * a usage error.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Compute the bookmark tag stats of a JSON-lines file (gzip detected) without a server.")
public final class StatsCommand implements Callable<Integer> {
    /** Reads and writes of about 1 MiB keep system calls rare next to the parsing work. */
    private static final int READ_BUFFER = 1 << 20;
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON lines to read; - reads standard input.")
    String input;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "-",
            description = "Where the rows go, sorted by id; - (the default) is standard output.")
    String out;

    @Option(names = "--summary", paramLabel = "FILE", description = "Where the summary JSON goes (not written if absent).")
    Path summary;

    @Option(names = "--header", description = "Write the column names as the first line.")
    boolean header;

    @Option(names = "--max-line-bytes", paramLabel = "N", defaultValue = "" + JobConfig.DEFAULT_MAX_LINE_BYTES,
            description = "Lines longer than this are skipped as too_long (default: ${DEFAULT-VALUE}).")
    int maxLineBytes;

    @Option(names = "--sort-memory-bytes", paramLabel = "N", defaultValue = "" + JobConfig.DEFAULT_SORT_MEMORY_BYTES,
            description = "Rows held in memory before sorted runs spill to disk (default: ${DEFAULT-VALUE}).")
    long sortMemoryBytes;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Threads parsing blocks of lines (default: 0, as many as the cores, up to 4).")
    int threads;

    @Option(names = "--spill-dir", paramLabel = "DIR", description = "Where sorted runs spill (default: the temp dir).")
    Path spillDir;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream stderr;

    public StatsCommand() {
        this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out), System.err);
    }

    /** For callers that run the command in-process with their own streams. */
    public StatsCommand(InputStream stdin, OutputStream stdout, PrintStream stderr) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public Integer call() {
        JobConfig config;
        try {
            config = new JobConfig(maxLineBytes, sortMemoryBytes, JobConfig.DEFAULT_MAX_EXACT_TERMS,
                    threads == 0 ? JobConfig.DEFAULT_THREADS : threads);
        } catch (IllegalArgumentException e) {
            stderr.println("tally stats: " + e.getMessage());
            return 2;
        }
        try {
            run(config);
            return 0;
        } catch (IOException | UncheckedIOException e) {
            stderr.println("tally stats: " + describe(e));
            return 1;
        }
    }

    private void run(JobConfig config) throws IOException {
        Path spill = Files.createTempDirectory(spillDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : spillDir,
                "tally-stats-");
        try (TagStatsJob job = new TagStatsJob(config, spill)) {
            try (InputStream in = decompressed(open(input))) {
                byte[] buf = new byte[READ_BUFFER];
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    job.accept(buf, 0, n);
                }
            }
            JobResult result;
            try (OutputStream rows = "-".equals(out) ? new KeptOpen(stdout) : Files.newOutputStream(Path.of(out))) {
                if (header) {
                    rows.write(TagStatsJob.HEADER.getBytes(UTF_8));
                }
                result = job.finish(rows);
            }
            if (summary != null) {
                try (OutputStream json = Files.newOutputStream(summary)) {
                    SummaryJson.write(result.summary(), json);
                }
            }
        } finally {
            deleteTree(spill);
        }
    }

    private InputStream open(String name) throws IOException {
        if ("-".equals(name)) {
            return new NonClosing(stdin);
        }
        return Files.newInputStream(Path.of(name));
    }

    /** Gzip is recognised by its magic bytes (RFC 1952), whatever the file is called. */
    private static InputStream decompressed(InputStream raw) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        if (magic.length == 2 && (magic[0] & 0xff) == GZIP_MAGIC_1 && (magic[1] & 0xff) == GZIP_MAGIC_2) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // The spill directory is in a temp dir; a leftover is harmless.
        }
    }

    /** Standard output stays open for whoever owns it; closing only flushes. */
    private static final class KeptOpen extends OutputStream {
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
