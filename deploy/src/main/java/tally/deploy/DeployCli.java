package tally.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/**
 * {@code tally-deploy}: publish the service jar to S3 and release it to EC2 environments; publish the Spark
 * job and run it on EMR. Global options come before the command and also read environment variables, so a
 * pipeline can set them once. Exit codes: 0 done, 1 failed, 2 usage, 3 the environment is locked, 70 an
 * unexpected error.
 */
public final class DeployCli {
    static final String NAME = "tally-deploy";
    static final String VERSION = "tally-deploy 0.1";
    static final String DESCRIPTION =
            "Publish Tally releases to S3 and roll them out to EC2 with health gates; run the Spark job on EMR.";

    static final Option REGION = Option.value("--region", "REGION", "AWS region")
            .withEnv("TALLY_DEPLOY_REGION").withDefault("us-east-1");
    static final Option BUCKET = Option.value("--bucket", "BUCKET", "S3 bucket for releases, locks and history")
            .withEnv("TALLY_DEPLOY_BUCKET");
    static final Option ENDPOINT_URL = Option.value("--endpoint-url", "URL",
            "Send EC2, S3, IAM and EMR calls here, e.g. a moto_server").withEnv("TALLY_DEPLOY_ENDPOINT_URL");
    static final Option REHEARSAL_DIR = Option.value("--rehearsal-dir", "DIR", "Rehearse: run launched instances and"
            + " submitted EMR steps on this machine, sandboxed under this directory").withEnv("TALLY_DEPLOY_REHEARSAL_DIR");
    static final Option MAX_ATTEMPTS = Option.value("--max-attempts", "N",
            "Attempts per AWS call, retries with backoff included").withEnv("TALLY_DEPLOY_MAX_ATTEMPTS").withDefault(5);
    static final Option JSON = Option.flag(null, "--json", "Print the result as JSON on stdout (progress goes to stderr)");

    /** The environment a command works on; every command but publish and emr takes it. */
    static final Option ENV = Option.value("--env", "ENV", "Environment, e.g. staging");

    final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final String region;
    private final URI endpoint;
    private final String bucket;
    final Path rehearsalDir;
    private final int maxAttempts;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;

    /** The global options, converted: a bad value is a usage error before any command runs. */
    private DeployCli(CommandArgs global, PrintWriter out, PrintWriter err) throws UsageException {
        String endpointUrl = global.string(ENDPOINT_URL);
        this.region = global.required(REGION);
        this.endpoint = endpointUrl == null || endpointUrl.isBlank() ? null : global.uri(ENDPOINT_URL);
        this.bucket = global.string(BUCKET);
        this.rehearsalDir = global.path(REHEARSAL_DIR);
        this.maxAttempts = global.intValue(MAX_ATTEMPTS, 1, Integer.MAX_VALUE);
        this.json = global.has(JSON);
        this.out = out;
        this.err = err;
    }

    /** Every command, as the root's usage lists them. */
    static DeployCommand root() {
        List<Option> options = List.of(REGION, BUCKET, ENDPOINT_URL, REHEARSAL_DIR, MAX_ATTEMPTS, JSON,
                DeployCommand.COMMAND, CommandArgs.HELP, CommandArgs.VERSION);
        return new DeployCommand(NAME, "[OPTIONS] COMMAND [COMMAND OPTIONS]", DESCRIPTION, options, null, List.of(
                PublishCommand.COMMAND, ReleaseCommand.COMMAND, RollbackCommand.COMMAND, StatusCommand.COMMAND,
                HistoryCommand.COMMAND, TeardownCommand.COMMAND, PlanCommand.COMMAND, SmokeCommand.COMMAND,
                TokenCommand.COMMAND, TlsCommand.COMMAND, EmrCommand.COMMAND));
    }

    public static void main(String[] args) {
        // UTF-8, as the tally command writes: the JSON and the messages carry names and paths as given.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err, System.getenv()));
    }

    /**
     * Runs a command line and returns its exit code: what {@code main} runs and what the tests run. Errors
     * are mapped here, once: a usage error exits 2 with what to fix; a {@link DeployException}, or an AWS
     * error as {@link AwsErrors#describe} words it, exits with its code, with {@code --json} also as
     * {@code {"outcome":"failed","error":...}} on stdout; anything else exits 70 with its stack trace.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        List<String> path = new ArrayList<>(List.of(NAME));
        DeployCli cli = null;
        try {
            DeployCommand command = root();
            CommandArgs global = CommandArgs.parse(command.options(), env, args);
            CommandArgs line = global;
            while (true) {
                String usage = command.usage(String.join(" ", path));
                if (line.answeredHelpOrVersion(out, () -> usage, () -> VERSION)) {
                    return 0;
                }
                if (command.action() != null) {
                    // Only now: help needs neither the global options' values nor Jackson (0.1 s to load).
                    cli = globalOptions(global, out, err, path);
                    return command.action().run(cli, line);
                }
                command = subcommand(command, line);
                path.add(command.name());
                line = CommandArgs.parse(command.options(), env, line.rest());
            }
        } catch (UsageException e) {
            String called = String.join(" ", path);
            err.println(called + ": " + e.getMessage());
            err.println("Try '" + called + " --help' for the options.");
            return 2;
        } catch (InterruptedException | RuntimeException e) {
            return failed(e, String.join(" ", path.subList(1, path.size())), cli, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A bad global option is the root's to explain: the message and the --help pointer name tally-deploy alone. */
    private static DeployCli globalOptions(CommandArgs global, PrintWriter out, PrintWriter err, List<String> path)
            throws UsageException {
        try {
            return new DeployCli(global, out, err);
        } catch (UsageException e) {
            path.subList(1, path.size()).clear();
            throw e;
        }
    }

    private static DeployCommand subcommand(DeployCommand parent, CommandArgs line) throws UsageException {
        String name = line.string(DeployCommand.COMMAND);
        List<String> names = parent.subcommands().stream().map(DeployCommand::name).toList();
        if (name == null) {
            throw new UsageException("missing COMMAND: " + String.join(", ", names));
        }
        return parent.subcommand(name).orElseThrow(
                () -> new UsageException("unknown command: " + name + " (commands: " + String.join(", ", names) + ")"));
    }

    /** A failure the user can act on exits with its code and says why; anything else is a bug: exit 70. */
    private static int failed(Exception e, String command, DeployCli cli, PrintWriter out, PrintWriter err) {
        DeployException failure = e instanceof DeployException d ? d
                : e instanceof SdkException s ? AwsErrors.describe(command, s) : null;
        if (failure == null || cli == null) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            err.println(NAME + ": unexpected error");
            e.printStackTrace(err);
            return 70;
        }
        if (cli.json) {
            out.println(cli.toJson(Map.of("outcome", "failed", "error", failure.getMessage())));
            out.flush();
        }
        err.println(NAME + " " + command + ": " + failure.getMessage());
        return failure.exitCode();
    }

    /** Accepts 200ms, 30s, 5m, 1h or an ISO-8601 duration (PT30S, PT5M, P1D); see {@link CommandArgs#duration}. */
    static Duration parseDuration(String text) {
        return CommandArgs.parseDuration(text);
    }

    AwsClients clients() {
        return new AwsClients(region, endpoint, maxAttempts);
    }

    /** The environment's data store: {@code --data-store}, else {@code s3://BUCKET/data/ENV/}. */
    EnvDataStore dataStore(AwsClients aws, String env, ReleaseOptions options) {
        String location = options.dataStore == null || options.dataStore.isBlank()
                ? EnvDataStore.defaultLocation(bucket(), env) : options.dataStore;
        return new EnvDataStore(aws.iam(), aws.s3(), env, location, new EnvTokens(aws.s3(), bucket(), env));
    }

    String bucket() {
        if (bucket == null || bucket.isBlank()) {
            throw new DeployException("no bucket: pass --bucket or set TALLY_DEPLOY_BUCKET", 2, null);
        }
        return bucket;
    }

    /** Progress goes to stdout for people, to stderr when stdout carries JSON. */
    Progress progress() {
        return new Progress(json ? err : out);
    }

    /** Messages for people beside the result, as a new token's warning: always stderr. */
    PrintWriter err() {
        return err;
    }

    /** Where the instances run and how they are reached: {@code http://}, or {@code https://} with TLS. */
    InstanceHost host(AwsClients aws, int port, EnvHttp http) {
        return rehearsalDir == null ? new CloudHost(port, http.scheme())
                : new RehearsalHost(rehearsalDir.toAbsolutePath(), aws.ec2(), Duration.ofMinutes(2), endpoint, region,
                        http.scheme());
    }

    EnvTls tls(AwsClients aws, String env) {
        return new EnvTls(aws.s3(), bucket(), env);
    }

    /** How to talk to the environment's instances: its certificate, if it has one, read once, now. */
    EnvHttp http(AwsClients aws, String env) {
        return EnvHttp.of(tls(aws, env));
    }

    /**
     * The release procedure for one environment, wired from the options. Whether the new instances serve
     * TLS is decided here, once: the gate, the addresses and the bootstrap all follow the same answer.
     */
    Release release(AwsClients aws, String env, ReleaseOptions options, Progress progress) {
        ReleaseSettings settings = options.settings();
        String bucket = bucket();
        EnvTls tls = tls(aws, env);
        EnvHttp http = EnvHttp.of(tls);
        return new Release(new Fleet(aws.ec2(), env, settings.pollInterval()),
                new ReleaseStore(aws.s3(), aws.presigner(), bucket, mapper),
                new EnvLock(aws.s3(), bucket, mapper, clock()),
                new History(aws.s3(), bucket, mapper),
                host(aws, settings.port(), http),
                new HealthGate(mapper, settings.pollInterval(), http.client(HealthGate.CONNECT_TIMEOUT)),
                settings, dataStore(aws, env, options), http.tls() ? tls : null, progress, clock(), actor());
    }

    /** Prints a result: as JSON with {@code --json}, else as the given text. */
    void emit(Object result, String text) {
        out.println(json ? toJson(result) : text);
        out.flush();
    }

    String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String actor() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name") + "@" + host + " pid " + ProcessHandle.current().pid();
    }

    static Clock clock() {
        return Clock.systemUTC();
    }
}
