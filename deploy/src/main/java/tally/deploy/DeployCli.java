package tally.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code tally-deploy}: publish the service jar to S3 and release it to EC2 environments; publish the Spark
 * job and run it on EMR. Global options also read environment variables, so a pipeline can set them once.
 */
@Command(name = "tally-deploy", mixinStandardHelpOptions = true, version = "tally-deploy 0.1",
        description = "Publish Tally releases to S3 and roll them out to EC2 with health gates; run the Spark job on EMR.",
        subcommands = {PublishCommand.class, ReleaseCommand.class, RollbackCommand.class, StatusCommand.class,
                HistoryCommand.class, TeardownCommand.class, PlanCommand.class, SmokeCommand.class, TokenCommand.class,
                EmrCommand.class})
public final class DeployCli {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--region", defaultValue = "${env:TALLY_DEPLOY_REGION:-us-east-1}",
            description = "AWS region (env TALLY_DEPLOY_REGION; default ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--endpoint-url", defaultValue = "${env:TALLY_DEPLOY_ENDPOINT_URL}",
            description = "Send EC2, S3, IAM and EMR calls here, e.g. a moto_server (env TALLY_DEPLOY_ENDPOINT_URL)")
    String endpointUrl;

    @Option(names = "--bucket", defaultValue = "${env:TALLY_DEPLOY_BUCKET}",
            description = "S3 bucket for releases, locks and history (env TALLY_DEPLOY_BUCKET)")
    String bucket;

    @Option(names = "--json", description = "Print the result as JSON on stdout (progress goes to stderr)")
    boolean json;

    @Option(names = "--rehearsal-dir", defaultValue = "${env:TALLY_DEPLOY_REHEARSAL_DIR}",
            description = "Rehearse: run launched instances and submitted EMR steps on this machine, sandboxed under"
                    + " this directory (env TALLY_DEPLOY_REHEARSAL_DIR)")
    Path rehearsalDir;

    @Option(names = "--max-attempts", defaultValue = "${env:TALLY_DEPLOY_MAX_ATTEMPTS:-5}",
            description = "Attempts per AWS call, retries with backoff included (default ${DEFAULT-VALUE})")
    int maxAttempts;

    final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error mapping: what {@code main} runs and what the tests run. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new DeployCli());
        cli.registerConverter(Duration.class, DeployCli::parseDuration);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            // "emr run", not "run": the command's name under tally-deploy.
            String name = line.getCommandSpec().qualifiedName().substring(line.getCommandSpec().root().name().length()).strip();
            DeployException failure = e instanceof DeployException d ? d
                    : e instanceof SdkException s ? AwsErrors.describe(name, s) : null;
            DeployCli root = line.getParent() == null ? line.getCommand() : rootOf(line).getCommand();
            if (failure == null) {
                line.getErr().println("tally-deploy: unexpected error");
                e.printStackTrace(line.getErr());
                return 70;
            }
            if (root.json) {
                line.getOut().println(root.toJson(java.util.Map.of("outcome", "failed", "error", failure.getMessage())));
                line.getOut().flush();
            }
            line.getErr().println("tally-deploy " + name + ": " + failure.getMessage());
            line.getErr().flush();
            return failure.exitCode();
        });
        return cli;
    }

    private static CommandLine rootOf(CommandLine line) {
        CommandLine root = line;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root;
    }

    /** Accepts 200ms, 30s, 5m, 1h or an ISO-8601 duration (PT30S, PT5M, P1D). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("p") || t.startsWith("-p")) {
            // ISO-8601 before the suffixes: "PT30S" ends with an s too.
            return Duration.parse(text.trim());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(text);
    }

    AwsClients clients() {
        return new AwsClients(region, endpoint(), maxAttempts);
    }

    private URI endpoint() {
        return endpointUrl == null || endpointUrl.isBlank() ? null : URI.create(endpointUrl);
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
        return new Progress(json ? spec.commandLine().getErr() : spec.commandLine().getOut());
    }

    InstanceHost host(AwsClients aws, int port) {
        return rehearsalDir == null ? new CloudHost(port)
                : new RehearsalHost(rehearsalDir.toAbsolutePath(), aws.ec2(), Duration.ofMinutes(2), endpoint(), region);
    }

    /** The release procedure for one environment, wired from the options. */
    Release release(AwsClients aws, String env, ReleaseOptions options, Progress progress) {
        ReleaseSettings settings = options.settings();
        String bucket = bucket();
        return new Release(new Fleet(aws.ec2(), env, settings.pollInterval()),
                new ReleaseStore(aws.s3(), aws.presigner(), bucket, mapper),
                new EnvLock(aws.s3(), bucket, mapper, clock()),
                new History(aws.s3(), bucket, mapper),
                host(aws, settings.port()),
                new HealthGate(mapper, settings.pollInterval()),
                settings, dataStore(aws, env, options), progress, clock(), actor());
    }

    /** Prints a result: as JSON with {@code --json}, else as the given text. */
    void emit(Object result, String text) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? toJson(result) : text);
        out.flush();
    }

    String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String actor() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name") + "@" + host + " pid " + ProcessHandle.current().pid();
    }

    static Clock clock() {
        return Clock.systemUTC();
    }
}
