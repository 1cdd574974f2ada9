package tally.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;

@Command(name = "run", description = "Run the published Spark job as a spark-submit step: on a running cluster (--cluster-id)"
        + " or on a new one that terminates after it (--create-cluster). With --wait, exits 0 once the step COMPLETED and"
        + " 1 if it FAILED, was CANCELLED or outlasted --wait-timeout.")
final class EmrRunCommand implements Callable<Integer> {
    @ParentCommand
    EmrCommand emr;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Exactly one of them. */
    static final class Target {
        @Option(names = "--cluster-id", required = true, description = "A running cluster (j-...) to add the step to")
        String clusterId;

        @Option(names = "--create-cluster", required = true,
                description = "Start a cluster for this step alone; it terminates when the step ends")
        boolean create;
    }

    @Option(names = "--version", required = true, description = "A version published with: tally-deploy emr publish")
    String version;

    @Option(names = "--input", required = true, description = "The JSON-lines input: a file, a directory or a glob (s3://...)")
    String input;

    @Option(names = "--output", required = true, description = "The output directory (s3://... or hdfs:///...); must not exist")
    String output;

    @Option(names = "--partitions", description = "Part files (the job's default: one per input slice)")
    Integer partitions;

    @Option(names = "--split-bytes", description = "The most bytes of a plain file one task reads (the job's default: 128 MiB)")
    Long splitBytes;

    @Option(names = "--max-line-bytes", description = "Longer lines are skipped as too_long (the job's default: 16 MiB)")
    Integer maxLineBytes;

    @Option(names = "--overwrite", description = "Replace an existing output once the new one is complete")
    boolean overwrite;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A spark-submit --conf, e.g. spark.driver.memory=8g (repeatable)")
    List<String> conf = new ArrayList<>();

    @Option(names = "--wait", description = "Wait for the step to end and report how it ended")
    boolean await;

    @Option(names = "--wait-timeout", defaultValue = "2h", description = "Give up waiting after this (default ${DEFAULT-VALUE});"
            + " the step goes on")
    Duration waitTimeout;

    @Option(names = "--poll-interval", defaultValue = "30s", description = "Pause between DescribeStep calls (default ${DEFAULT-VALUE})")
    Duration pollInterval;

    @Option(names = "--spark-local", defaultValue = "${env:TALLY_SPARK_LOCAL:-spark/bin/tally-spark-local}",
            description = "Rehearsal only: the launcher that runs the step here (env TALLY_SPARK_LOCAL; default ${DEFAULT-VALUE})")
    Path sparkLocal;

    @Mixin
    ClusterOptions cluster;

    /** What the command did and, with --wait, how the step ended. */
    record Result(String outcome, String clusterId, boolean clusterCreated, String stepId, String jar, String jarSha256,
                  List<String> args, String state, String reason, String logs, String logFile, long durationMs) {
    }

    @Override
    public Integer call() {
        DeployCli cli = emr.cli;
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
            Result result = new Result(outcome, step.clusterId(), target.create, step.stepId(), submit.jar(), manifest.sha256(),
                    submit.args(), await ? state.state() : null, reason(state, outcome, step), logs, state.logFile(), progress.elapsedMillis());
            cli.emit(result, text(result));
            if (await && !state.completed()) {
                cli.spec.commandLine().getErr().println("tally-deploy emr run: " + failure(result));
                cli.spec.commandLine().getErr().flush();
                return 1;
            }
        }
        return 0;
    }

    private EmrSteps.Submitted submit(EmrSteps steps, SparkSubmit submit, String bucket, Progress progress) {
        String name = "tally stats " + version;
        if (target.create) {
            EmrSteps.ClusterSpec spec = cluster.spec(bucket, version);
            // One step, one cluster: a failed step ends the cluster too, which ends with its last step anyway.
            return progress.step(String.format(Locale.ROOT, "start cluster '%s' (%s, %d x %s) with the step", spec.name(),
                    spec.releaseLabel(), spec.instanceCount(), spec.instanceType()),
                    () -> steps.runCluster(spec, EmrSteps.step(name, submit, ActionOnFailure.TERMINATE_CLUSTER)));
        }
        // Someone else's cluster, perhaps with other steps queued: a failed job should neither end it nor cancel them.
        return progress.step("add the step to cluster " + target.clusterId,
                () -> steps.add(target.clusterId, EmrSteps.step(name, submit, ActionOnFailure.CONTINUE)));
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
