package tally.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Application;
import software.amazon.awssdk.services.emr.model.FailureDetails;
import software.amazon.awssdk.services.emr.model.HadoopStepConfig;
import software.amazon.awssdk.services.emr.model.JobFlowInstancesConfig;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.emr.model.Tag;

/**
 * The EMR calls of {@code emr run}: add a spark-submit step to a cluster (AddJobFlowSteps) or start a
 * cluster that runs it and ends (RunJobFlow), then read the step and the cluster back (DescribeStep,
 * ListSteps, DescribeCluster). On EMR the step runs there, so this is also the {@link StepHost}.
 */
public final class EmrSteps implements StepHost {
    /** EMR's runner for commands on the primary node, spark-submit among them. */
    public static final String COMMAND_RUNNER = "command-runner.jar";

    private final EmrClient emr;

    public EmrSteps(EmrClient emr) {
        this.emr = emr;
    }

    /** A cluster that runs one step and terminates, tagged {@code app=tally}. */
    public record ClusterSpec(String name, String releaseLabel, String instanceType, int instanceCount,
                              String serviceRole, String jobFlowRole, String logUri, String subnetId,
                              Map<String, String> tags) {
    }

    /** A step on a cluster. */
    public record Submitted(String clusterId, String stepId) {
    }

    /** What a step runs, as EMR reports it. */
    public record Command(String jar, List<String> args) {
    }

    public static StepConfig step(String name, SparkSubmit submit, ActionOnFailure onFailure) {
        return StepConfig.builder().name(name).actionOnFailure(onFailure)
                .hadoopJarStep(j -> j.jar(COMMAND_RUNNER).args(submit.args())).build();
    }

    /** Adds {@code step} to a running cluster; returns its id. */
    public Submitted add(String clusterId, StepConfig step) {
        List<String> ids = AwsErrors.during("add a step to " + clusterId,
                () -> emr.addJobFlowSteps(b -> b.jobFlowId(clusterId).steps(step)).stepIds());
        return new Submitted(clusterId, ids.get(0));
    }

    /**
     * Starts a cluster with Spark that runs {@code step} and then terminates
     * ({@code KeepJobFlowAliveWhenNoSteps=false}).
     */
    public Submitted runCluster(ClusterSpec spec, StepConfig step) {
        JobFlowInstancesConfig.Builder instances = JobFlowInstancesConfig.builder()
                .masterInstanceType(spec.instanceType()).slaveInstanceType(spec.instanceType())
                .instanceCount(spec.instanceCount()).keepJobFlowAliveWhenNoSteps(false);
        if (spec.subnetId() != null) {
            instances.ec2SubnetId(spec.subnetId());
        }
        String clusterId = AwsErrors.during("start an EMR cluster", () -> emr.runJobFlow(b -> b
                .name(spec.name()).releaseLabel(spec.releaseLabel()).logUri(spec.logUri())
                .applications(Application.builder().name("Spark").build())
                .instances(instances.build()).steps(step)
                .serviceRole(spec.serviceRole()).jobFlowRole(spec.jobFlowRole()).visibleToAllUsers(true)
                .tags(spec.tags().entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()))
                .jobFlowId());
        List<StepSummary> steps = AwsErrors.during("list the steps of " + clusterId,
                () -> emr.listSteps(b -> b.clusterId(clusterId)).steps());
        if (steps.size() != 1) {
            throw new DeployException("cluster " + clusterId + " started with " + steps.size() + " steps, expected 1");
        }
        return new Submitted(clusterId, steps.get(0).id());
    }

    /** Nothing to do: EMR runs the step. */
    @Override
    public void submitted(String clusterId, String stepId) {
        // EMR starts the step when the ones before it have ended.
    }

    @Override
    public StepState state(String clusterId, String stepId) {
        Step step = describe(clusterId, stepId);
        FailureDetails failure = step.status().failureDetails();
        String reason = failure != null && failure.reason() != null
                ? failure.reason() + (failure.message() == null ? "" : ": " + failure.message())
                : step.status().stateChangeReason() == null ? null : step.status().stateChangeReason().message();
        return new StepState(step.status().stateAsString(), reason, failure == null ? null : failure.logFile());
    }

    /** The jar and arguments the step runs. */
    public Command command(String clusterId, String stepId) {
        HadoopStepConfig config = describe(clusterId, stepId).config();
        return new Command(config.jar(), config.args());
    }

    /**
     * Where EMR puts the step's logs ({@code controller}, {@code stderr}, {@code stdout}, gzipped, a few
     * minutes after it ends): {@code LogUri/CLUSTER_ID/steps/STEP_ID/}; empty if the cluster has no LogUri.
     */
    public Optional<String> logLocation(String clusterId, String stepId) {
        String logUri = AwsErrors.during("describe cluster " + clusterId,
                () -> emr.describeCluster(b -> b.clusterId(clusterId)).cluster().logUri());
        if (logUri == null || logUri.isBlank()) {
            return Optional.empty();
        }
        return Optional.of((logUri.endsWith("/") ? logUri : logUri + "/") + clusterId + "/steps/" + stepId + "/");
    }

    private Step describe(String clusterId, String stepId) {
        return AwsErrors.during("describe step " + stepId + " of " + clusterId,
                () -> emr.describeStep(b -> b.clusterId(clusterId).stepId(stepId)).step());
    }
}
