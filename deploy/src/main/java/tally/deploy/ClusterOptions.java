package tally.deploy;

import java.util.Map;
import picocli.CommandLine.Option;

/** The cluster {@code emr run --create-cluster} starts: Spark on EMR 7.x, ended by EMR once its step ends. */
final class ClusterOptions {
    @Option(names = "--release-label", defaultValue = "emr-7.10.0",
            description = "With --create-cluster: the EMR release (7.x runs Spark 3.5 on Java 17; default ${DEFAULT-VALUE})")
    String releaseLabel;

    @Option(names = "--instance-type", defaultValue = "m6i.xlarge", description = "With --create-cluster: every node's instance type (default ${DEFAULT-VALUE})")
    String instanceType;

    @Option(names = "--instance-count", defaultValue = "3",
            description = "With --create-cluster: nodes, one primary, the rest core nodes that run the executors (default ${DEFAULT-VALUE})")
    int instanceCount;

    @Option(names = "--service-role", defaultValue = "EMR_DefaultRole", description = "With --create-cluster: EMR's service role (default ${DEFAULT-VALUE})")
    String serviceRole;

    @Option(names = "--instance-profile", defaultValue = "EMR_EC2_DefaultRole",
            description = "With --create-cluster: the nodes' EC2 instance profile: what the job reads and writes S3 with (default ${DEFAULT-VALUE})")
    String instanceProfile;

    @Option(names = "--log-uri", description = "With --create-cluster: where EMR writes the cluster's and steps' logs; default s3://BUCKET/emr/logs/")
    String logUri;

    @Option(names = "--subnet-id", description = "With --create-cluster: the cluster's subnet; default: one of the default VPC's")
    String subnetId;

    EmrSteps.ClusterSpec spec(String bucket, String version) {
        if (instanceCount < 1) {
            throw new DeployException("--instance-count must be at least 1: " + instanceCount, 2, null);
        }
        return new EmrSteps.ClusterSpec("tally stats " + version, releaseLabel, instanceType, instanceCount, serviceRole,
                instanceProfile, logUri == null ? "s3://" + bucket + "/emr/logs/" : logUri, subnetId,
                Map.of("app", "tally", "version", version));
    }
}
