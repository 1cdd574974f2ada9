package tally.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** {@code emr run}: the published job as one spark-submit step, on a running cluster or on one of its own. */
final class EmrRunCommand {
    static final Option CLUSTER_ID = Option.value("--cluster-id", "ID", "A running cluster (j-...) to add the step to");
    static final Option CREATE_CLUSTER = Option.flag(null, "--create-cluster",
            "Start a cluster for this step alone; it terminates when the step ends");
    static final Option VERSION = Option.value("--version", "V", "A version published with: tally-deploy emr publish");
    static final Option INPUT = Option.value("--input", "PATH",
            "The JSON-lines input: a file, a directory or a glob (s3://...)");
    static final Option OUTPUT = Option.value("--output", "DIR",
            "The output directory (s3://... or hdfs:///...); must not exist");
    static final Option PARTITIONS = Option.value("--partitions", "N", "Part files (the job's default: one per input slice)");
    static final Option SPLIT_BYTES = Option.value("--split-bytes", "BYTES",
            "The most bytes of a plain file one task reads (the job's default: 128 MiB)");
    static final Option MAX_LINE_BYTES = Option.value("--max-line-bytes", "BYTES",
            "Longer lines are skipped as too_long (the job's default: 16 MiB)");
    static final Option OVERWRITE = Option.flag(null, "--overwrite", "Replace an existing output once the new one is complete");
    static final Option CONF = Option.value("--conf", "KEY=VALUE",
            "A spark-submit --conf, e.g. spark.driver.memory=8g (repeatable)").repeatable();
    static final Option WAIT = Option.flag(null, "--wait", "Wait for the step to end and report how it ended");
    static final Option WAIT_TIMEOUT = Option.value("--wait-timeout", "DURATION", "Give up waiting after this; the step goes on")
            .withDefault("2h");
    static final Option POLL_INTERVAL = Option.value("--poll-interval", "DURATION", "Pause between DescribeStep calls")
            .withDefault("30s");
    static final Option SPARK_LOCAL = Option.value("--spark-local", "FILE",
            "Rehearsal only: the launcher that runs the step here").withEnv("TALLY_SPARK_LOCAL")
            .withDefault("spark/bin/tally-spark-local");

    static final DeployCommand COMMAND = DeployCommand.of("run",
            "--cluster-id ID|--create-cluster --version V --input PATH --output DIR [OPTIONS]",
            "Run the published Spark job as a spark-submit step: on a running cluster (--cluster-id) or on a new one"
                    + " that terminates after it (--create-cluster). With --wait, exits 0 once the step COMPLETED and 1 if"
                    + " it FAILED, was CANCELLED or outlasted --wait-timeout.",
            options(), (cli, args) -> new EmrRunCommand(cli, args).run());

    private final DeployCli cli;
    /** Null with --create-cluster: exactly one of them. */
    private final String clusterId;
    private final boolean createCluster;
    private final String version;
    private final String input;
    private final String output;
    private final Integer partitions;
    private final Long splitBytes;
    private final Integer maxLineBytes;
    private final boolean overwrite;
    private final List<String> conf;
    private final boolean await;
    private final Duration waitTimeout;
    private final Duration pollInterval;
    private final Path sparkLocal;
    private final ClusterOptions cluster;

    private EmrRunCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        clusterId = args.string(CLUSTER_ID);
        createCluster = args.has(CREATE_CLUSTER);
        if (createCluster == (clusterId != null)) {
            throw new UsageException(createCluster ? "--cluster-id and --create-cluster exclude each other"
                    : "give --cluster-id ID (a running cluster) or --create-cluster");
        }
        version = args.required(VERSION);
        input = args.required(INPUT);
        output = args.required(OUTPUT);
        partitions = args.string(PARTITIONS) == null ? null : args.intValue(PARTITIONS);
        splitBytes = args.string(SPLIT_BYTES) == null ? null : args.longValue(SPLIT_BYTES);
        maxLineBytes = args.string(MAX_LINE_BYTES) == null ? null : args.intValue(MAX_LINE_BYTES);
        overwrite = args.has(OVERWRITE);
        conf = args.strings(CONF);
        await = args.has(WAIT);
        waitTimeout = args.duration(WAIT_TIMEOUT);
        pollInterval = args.duration(POLL_INTERVAL);
        sparkLocal = args.path(SPARK_LOCAL);
        cluster = new ClusterOptions(args);
    }

    private static List<Option> options() {
        List<Option> all = new ArrayList<>(List.of(CLUSTER_ID, CREATE_CLUSTER, VERSION, INPUT, OUTPUT, PARTITIONS,
                SPLIT_BYTES, MAX_LINE_BYTES, OVERWRITE, CONF, WAIT, WAIT_TIMEOUT, POLL_INTERVAL, SPARK_LOCAL));
        all.addAll(ClusterOptions.OPTIONS);
        return all;
    }

    /** What the command did and, with --wait, how the step ended. */
    record Result(String outcome, String clusterId, boolean clusterCreated, String stepId, String jar, String jarSha256,
                  List<String> args, String state, String reason, String logs, String logFile, long durationMs) {
    }

    private int run() {
        Progress progress = cli.progress();
        try (AwsClients aws = cli.clients()) {
            ReleaseStore jobs = new ReleaseStore(aws.s3(), aws.presigner(), cli.bucket(), cli.mapper, ReleaseStore.Artifact.SPARK_JOB);
            ReleaseManifest manifest = AwsErrors.during("read the manifest of " + version, () -> jobs.require(version));
            SparkSubmit submit = new SparkSubmit(SparkSubmit.STATS_JOB, conf, jobs.jarUri(version), jobArgs());
            EmrSteps steps = new EmrSteps(aws.emr());
            StepHost host = cli.rehearsalDir == null ? steps
                    : new RehearsalStepHost(cli.rehearsalDir.toAbsolutePath(), steps, aws.s3(), cli.mapper, sparkLocal, waitTimeout, progress);
            EmrSteps.Submitted step = submit(steps, submit, cli.bucket(), progress);
            host.submitted(step.clusterId(), step.stepId());
            String logs = steps.logLocation(step.clusterId(), step.stepId()).orElse(null);
            StepState state = await ? StepWait.await(host, step, waitTimeout, pollInterval, progress)
                    : new StepState("SUBMITTED", null, null);
            String outcome = !await ? "submitted" : state.completed() ? "completed" : state.finished() ? "failed" : "timed-out";
            Result result = new Result(outcome, step.clusterId(), createCluster, step.stepId(), submit.jar(), manifest.sha256(),
                    submit.args(), await ? state.state() : null, reason(state, outcome, step), logs, state.logFile(), progress.elapsedMillis());
            cli.emit(result, text(result));
            if (await && !state.completed()) {
                cli.err().println("tally-deploy emr run: " + failure(result));
                cli.err().flush();
                return 1;
            }
        }
        return 0;
    }

    private EmrSteps.Submitted submit(EmrSteps steps, SparkSubmit submit, String bucket, Progress progress) {
        String name = "tally stats " + version;
        if (createCluster) {
            EmrSteps.ClusterSpec spec = cluster.spec(bucket, version);
            // One step, one cluster: a failed step ends the cluster too, which ends with its last step anyway.
            return progress.step(String.format(Locale.ROOT, "start cluster '%s' (%s, %d x %s) with the step", spec.name(),
                    spec.releaseLabel(), spec.instanceCount(), spec.instanceType()),
                    () -> steps.runCluster(spec, EmrSteps.step(name, submit, ActionOnFailure.TERMINATE_CLUSTER)));
        }
        // Someone else's cluster, perhaps with other steps queued: a failed job should neither end it nor cancel them.
        return progress.step("add the step to cluster " + clusterId,
                () -> steps.add(clusterId, EmrSteps.step(name, submit, ActionOnFailure.CONTINUE)));
    }

    private List<String> jobArgs() {
        List<String> args = new ArrayList<>(List.of(input, output));
        if (partitions != null) {
            args.addAll(List.of("--partitions", partitions.toString()));
        }
        if (splitBytes != null) {
            args.addAll(List.of("--split-bytes", splitBytes.toString()));
        }
        if (maxLineBytes != null) {
            args.addAll(List.of("--max-line-bytes", maxLineBytes.toString()));
        }
        if (overwrite) {
            args.add("--overwrite");
        }
        return args;
    }

    private String reason(StepState state, String outcome, EmrSteps.Submitted step) {
        if ("timed-out".equals(outcome)) {
            String ids = " --cluster-id " + step.clusterId() + " --step-id";
            return "gave up waiting after " + waitTimeout.toString().substring(2).toLowerCase(Locale.ROOT)
                    + " (--wait-timeout); the step goes on (aws emr describe-step" + ids
                    + " " + step.stepId() + "; to stop it: aws emr cancel-steps" + ids + "s " + step.stepId() + ")";
        }
        return state.reason();
    }

    private static String text(Result r) {
        String where = "step " + r.stepId() + " on " + (r.clusterCreated() ? "new cluster " : "cluster ") + r.clusterId();
        String logs = r.logs() == null ? "the cluster keeps no logs (no LogUri)" : "logs in " + r.logs();
        if ("submitted".equals(r.outcome())) {
            return "submitted " + where + ": " + String.join(" ", r.args()) + System.lineSeparator() + logs;
        }
        return where + ": " + r.state() + (r.reason() == null ? "" : " - " + r.reason()) + System.lineSeparator() + logs
                + (r.logFile() == null ? "" : ", the failure's log: " + r.logFile());
    }

    private static String failure(Result r) {
        if ("timed-out".equals(r.outcome())) {
            return "step " + r.stepId() + " on " + r.clusterId() + " still " + r.state() + ": " + r.reason();
        }
        String reason = r.reason() == null ? "" : ": " + r.reason();
        return "step " + r.stepId() + " on " + r.clusterId() + " " + r.state() + reason;
    }
}
