package tally.deploy;

import java.util.List;
import java.util.Map;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** The cluster {@code emr run --create-cluster} starts: Spark on EMR 7.x, ended by EMR once its step ends. */
final class ClusterOptions {
    static final Option RELEASE_LABEL = Option.value("--release-label", "LABEL",
            "With --create-cluster: the EMR release (7.x runs Spark 3.5 on Java 17)").withDefault("emr-7.10.0");
    static final Option INSTANCE_TYPE = Option.value("--instance-type", "TYPE",
            "With --create-cluster: every node's instance type").withDefault("m6i.xlarge");
    static final Option INSTANCE_COUNT = Option.value("--instance-count", "N",
            "With --create-cluster: nodes, one primary, the rest core nodes that run the executors").withDefault(3);
    static final Option SERVICE_ROLE = Option.value("--service-role", "ROLE", "With --create-cluster: EMR's service role")
            .withDefault("EMR_DefaultRole");
    static final Option INSTANCE_PROFILE = Option.value("--instance-profile", "PROFILE", "With --create-cluster: the"
            + " nodes' EC2 instance profile: what the job reads and writes S3 with").withDefault("EMR_EC2_DefaultRole");
    static final Option LOG_URI = Option.value("--log-uri", "URL", "With --create-cluster: where EMR writes the cluster's"
            + " and steps' logs; default s3://BUCKET/emr/logs/");
    static final Option SUBNET_ID = Option.value("--subnet-id", "SUBNET",
            "With --create-cluster: the cluster's subnet; default: one of the default VPC's");

    static final List<Option> OPTIONS = List.of(RELEASE_LABEL, INSTANCE_TYPE, INSTANCE_COUNT, SERVICE_ROLE,
            INSTANCE_PROFILE, LOG_URI, SUBNET_ID);

    private final String releaseLabel;
    private final String instanceType;
    private final int instanceCount;
    private final String serviceRole;
    private final String instanceProfile;
    private final String logUri;
    private final String subnetId;

    ClusterOptions(CommandArgs args) throws UsageException {
        releaseLabel = args.required(RELEASE_LABEL);
        instanceType = args.required(INSTANCE_TYPE);
        instanceCount = args.intValue(INSTANCE_COUNT, 1, Integer.MAX_VALUE);
        serviceRole = args.required(SERVICE_ROLE);
        instanceProfile = args.required(INSTANCE_PROFILE);
        logUri = args.string(LOG_URI);
        subnetId = args.string(SUBNET_ID);
    }

    EmrSteps.ClusterSpec spec(String bucket, String version) {
        return new EmrSteps.ClusterSpec("tally stats " + version, releaseLabel, instanceType, instanceCount, serviceRole,
                instanceProfile, logUri == null ? "s3://" + bucket + "/emr/logs/" : logUri, subnetId,
                Map.of("app", "tally", "version", version));
    }
}
