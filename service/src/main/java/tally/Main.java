package tally;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tally.auth.ReadAccess;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Command;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;
import tally.http.BuildVersion;
import tally.http.Json;
import tally.load.LoadCommand;
import tally.server.ServerConfig;
import tally.server.TallyServer;

/**
 * Entry point. Without a subcommand it serves; {@code stats} runs the job on a file, {@code generate}
 * writes sample data. Every server setting is read here, once: a flag, else its {@code TALLY_*}
 * environment variable, else the embedded default. Exit code 0, 1 if the server cannot start, 2 on a
 * usage error.
 */
public final class Main {
    static final String DESCRIPTION = "Serve the Tally API and web UI (the default), or run a subcommand.";

    static final Option HOST = Option.value("--host", "HOST", "Address to listen on")
            .withEnv("TALLY_HOST").withDefault(ServerConfig.DEFAULT_HOST);
    static final Option PORT = Option.value("--port", "PORT", "Port; 0 picks a free one and the log says which")
            .withEnv("TALLY_PORT").withDefault(ServerConfig.DEFAULT_PORT);
    static final Option DATA_DIR = Option.value("--data-dir", "DIR", "Where datasets are stored")
            .withEnv("TALLY_DATA_DIR").withDefault(ServerConfig.DEFAULT_DATA_DIR);
    static final Option MAX_UPLOAD_BYTES = Option.value("--max-upload-bytes", "BYTES",
            "Largest upload accepted, compressed or not; the default is 1 GiB")
            .withEnv("TALLY_MAX_UPLOAD_BYTES").withDefault(ServerConfig.DEFAULT_MAX_UPLOAD_BYTES);
    static final Option MIN_FREE_BYTES = Option.value("--min-free-bytes", "BYTES",
            "Below this much free space in the data dir, /readyz answers 503; the default is 64 MiB")
            .withEnv("TALLY_MIN_FREE_BYTES").withDefault(ServerConfig.DEFAULT_MIN_FREE_BYTES);
    static final Option MAX_UPLOADS_PER_CLIENT = Option.value("--max-uploads-per-client", "N",
            "Uploads one client address may run at once; one more gets 429")
            .withEnv("TALLY_MAX_UPLOADS_PER_CLIENT").withDefault(ServerConfig.DEFAULT_MAX_UPLOADS_PER_CLIENT);
    static final Option UPLOAD_IDLE_TIMEOUT = Option.value("--upload-idle-timeout", "SECONDS",
            "An upload that sends nothing this long is ended with 408; also the span --upload-min-rate is judged on")
            .withEnv("TALLY_UPLOAD_IDLE_TIMEOUT").withDefault(ServerConfig.DEFAULT_UPLOAD_IDLE_SECONDS);
    static final Option UPLOAD_MIN_RATE = Option.value("--upload-min-rate", "BYTES",
            "An upload sending fewer bytes per second than this, on average over such a span, is ended with 408")
            .withEnv("TALLY_UPLOAD_MIN_RATE").withDefault(ServerConfig.DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND);
    static final Option REQUEST_HEAD_TIMEOUT = Option.value("--request-head-timeout", "SECONDS",
            "A request's line and headers must arrive within this; idle keep-alive connections close too")
            .withEnv("TALLY_REQUEST_HEAD_TIMEOUT").withDefault(ServerConfig.DEFAULT_REQUEST_HEAD_SECONDS);
    static final Option ALLOWED_HOSTS = Option.value("--allowed-hosts", "NAMES",
            "Host names requests may be addressed to, comma-separated, * for any; by default loopback names "
                    + "when bound to loopback, else any").withEnv("TALLY_ALLOWED_HOSTS").withDefault("");

    static final Option STORE = Option.value("--store", "URL",
            "Where datasets live: s3://BUCKET/PREFIX shares them with every instance using it and keeps them"
            + " across releases; without it, the file store under --data-dir").withEnv("TALLY_STORE");
    static final Option S3_ENDPOINT = Option.value("--s3-endpoint", "URL",
            "An S3-compatible endpoint for --store (an emulator such as moto); AWS itself without it")
            .withEnv("TALLY_S3_ENDPOINT");
    static final Option TOKEN_FILE = Option.value("--token-file", "FILE|s3://BUCKET/KEY",
            "Tokens allowed to write (one a line, NAME: TOKEN or NAME: sha256:HEX; see the README), re-read when it"
            + " changes (an S3 object every 5 s); without it anyone who reaches the server may upload and delete").withEnv("TALLY_TOKEN_FILE");
    static final Option READ_ACCESS = Option.value("--read-access", "public|token",
            "Whether reading datasets needs a token too; probes, /version and the sign-in page stay open")
            .withEnv("TALLY_READ_ACCESS").withDefault("public");
    static final Option TLS_CERT = Option.value("--tls-cert", "FILE|s3://BUCKET/KEY",
            "PEM certificate chain: serve HTTPS with HTTP/2 on --port instead of plain HTTP (read once, at start)").withEnv("TALLY_TLS_CERT");
    static final Option TLS_KEY = Option.value("--tls-key", "FILE|s3://BUCKET/KEY",
            "PEM private key of --tls-cert (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted)").withEnv("TALLY_TLS_KEY");

    /** How one option of the command line sets the server's config. */
    @FunctionalInterface
    private interface Setting {
        void apply(ServerConfig.Builder config, CommandArgs cli) throws UsageException;
    }

    /** A server option and its setting: a new option is one entry here and one setter on the builder. */
    private record ServerOption(Option option, Setting setting) {
    }

    private static final List<ServerOption> SERVER_OPTIONS = List.of(
            new ServerOption(HOST, (config, cli) -> config.host(cli.string(HOST))),
            new ServerOption(PORT, (config, cli) -> config.port(cli.intValue(PORT))),
            new ServerOption(DATA_DIR, (config, cli) -> config.dataDir(cli.path(DATA_DIR))),
            new ServerOption(MAX_UPLOAD_BYTES, (config, cli) -> config.maxUploadBytes(cli.bytes(MAX_UPLOAD_BYTES))),
            new ServerOption(MIN_FREE_BYTES, (config, cli) -> config.minFreeBytes(cli.bytes(MIN_FREE_BYTES))),
            new ServerOption(MAX_UPLOADS_PER_CLIENT,
                    (config, cli) -> config.maxUploadsPerClient(cli.intValue(MAX_UPLOADS_PER_CLIENT))),
            new ServerOption(UPLOAD_IDLE_TIMEOUT,
                    (config, cli) -> config.uploadIdleTimeout(Duration.ofSeconds(cli.longValue(UPLOAD_IDLE_TIMEOUT)))),
            new ServerOption(UPLOAD_MIN_RATE,
                    (config, cli) -> config.uploadMinBytesPerSecond(cli.longValue(UPLOAD_MIN_RATE))),
            new ServerOption(REQUEST_HEAD_TIMEOUT,
                    (config, cli) -> config.requestHeadTimeout(Duration.ofSeconds(cli.longValue(REQUEST_HEAD_TIMEOUT)))),
            new ServerOption(ALLOWED_HOSTS, (config, cli) -> config.allowedHosts(names(cli.string(ALLOWED_HOSTS)))),
            new ServerOption(STORE, (config, cli) -> config.store(cli.string(STORE))),
            new ServerOption(S3_ENDPOINT, (config, cli) -> config.s3Endpoint(cli.uri(S3_ENDPOINT))),
            new ServerOption(TOKEN_FILE, (config, cli) -> config.tokenFile(cli.string(TOKEN_FILE))),
            new ServerOption(READ_ACCESS, (config, cli) -> config.readAccess(readAccess(cli.string(READ_ACCESS)))),
            new ServerOption(TLS_CERT, (config, cli) -> config.tlsCert(cli.string(TLS_CERT))),
            new ServerOption(TLS_KEY, (config, cli) -> config.tlsKey(cli.string(TLS_KEY))));

    static final List<Option> OPTIONS = Stream.concat(SERVER_OPTIONS.stream().map(ServerOption::option),
            Stream.of(CommandArgs.HELP, CommandArgs.VERSION)).toList();

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream stderr;
    private final Map<String, String> env;

    /** For callers that run the command line in-process with their own streams and environment. */
    Main(InputStream stdin, OutputStream stdout, PrintStream stderr, Map<String, String> env) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.env = env;
    }

    public static void main(String[] args) {
        LogFormat.install();
        // The file descriptors rather than System.in/out: System.out would hide the write errors (a full
        // disk, say) that stats must report.
        Main main = new Main(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                System.err, System.getenv());
        System.exit(main.run(args));
    }

    /** Runs a command line and returns its exit code; serving returns only once the server has stopped. */
    int run(String... args) {
        if (args.length > 0) {
            String[] rest = Arrays.copyOfRange(args, 1, args.length);
            switch (args[0]) {
                case StatsCommand.NAME:
                    return new StatsCommand(stdin, stdout, stderr).run(rest);
                case GenerateCommand.NAME:
                    return new GenerateCommand(stdout, stderr).run(rest);
                case LoadCommand.NAME:
                    return new LoadCommand(stdin, stdout, stderr, env).run(rest);
                case MigrateStoreCommand.NAME:
                    return new MigrateStoreCommand(stdout, stderr, env).run(rest);
                default:
                    break;
            }
        }
        ServerConfig config;
        try {
            CommandArgs cli = CommandArgs.parse(OPTIONS, env, args);
            if (cli.answeredHelpOrVersion(stdout, Main::usage, () -> BuildVersion.current().line())) {
                return 0;
            }
            config = serverConfig(cli);
        } catch (UsageException e) {
            stderr.println("tally: " + e.getMessage());
            stderr.print(usage());
            return 2;
        }
        return serve(config);
    }

    /** The settings as given, validated: a bad port is refused before anything starts. */
    static ServerConfig serverConfig(CommandArgs cli) throws UsageException {
        ServerConfig.Builder config = ServerConfig.builder();
        for (ServerOption option : SERVER_OPTIONS) {
            option.setting().apply(config, cli);
        }
        try {
            return config.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    private static ReadAccess readAccess(String value) throws UsageException {
        try {
            return ReadAccess.parse(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--read-access: " + e.getMessage(), e);
        }
    }

    /** A comma-separated list, blanks dropped. */
    private static Set<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(n -> !n.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    static String usage() {
        return CommandArgs.usage("tally [OPTIONS] [COMMAND]", DESCRIPTION, OPTIONS, List.of(
                new Command(StatsCommand.NAME, StatsCommand.DESCRIPTION),
                new Command(GenerateCommand.NAME, GenerateCommand.DESCRIPTION),
                new Command(LoadCommand.NAME, LoadCommand.DESCRIPTION),
                new Command(MigrateStoreCommand.NAME, MigrateStoreCommand.DESCRIPTION)));
    }

    private static int serve(ServerConfig config) {
        warmUpServerStart();
        // Looked up here rather than in a static field: stats and generate never need java.util.logging.
        Logger log = Logger.getLogger(Main.class.getName());
        TallyServer server;
        try {
            server = TallyServer.start(config);
        } catch (Exception e) {
            // Exit rather than throw: threads the failed start left behind would keep the JVM alive.
            log.log(Level.SEVERE, "could not start", e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C run shutdown hooks: drain uploads, close WebSockets (1001), then let the JVM exit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: draining in-flight requests");
            server.stop();
            log.info("stopped");
            stopped.countDown();
        }, "tally-shutdown"));
        log.info("Tally listening on " + server.baseUri() + " (bound " + config.host() + ":" + server.port()
                + ", data in " + (config.store() != null ? config.store() : config.dataDir().toAbsolutePath()) + ")");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * Serving only: work the server start needs anyway begins on the second core while the main thread
     * loads and starts Undertow. Building the first ObjectMapper took 0.2 s (class-load log with
     * uptime); XNIO registers MBeans when the listener starts, and creating the platform MBean server
     * took 0.1-0.2 s. Both are thread-safe; the server later gets the same MBean server.
     */
    private static void warmUpServerStart() {
        Thread warm = new Thread(() -> {
            Json.mapper();
            ManagementFactory.getPlatformMBeanServer();
        }, "tally-warm-up");
        warm.setDaemon(true);
        warm.start();
    }
}
