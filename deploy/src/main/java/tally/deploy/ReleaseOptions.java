package tally.deploy;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Provisioning and timing options shared by release, rollback, teardown, status, smoke and plan. */
public final class ReleaseOptions {
    @Option(names = "--port", defaultValue = "8080", description = "Service port on the instances (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--cidr", defaultValue = "0.0.0.0/0", description = "Who may reach the service port (default ${DEFAULT-VALUE}:"
            + " anyone may read, only token holders may write; see tally-deploy token)")
    String cidr;

    @Option(names = "--read-access", defaultValue = "public", description = "public: anyone who reaches the port may read"
            + " datasets; token: reads need a token too (default ${DEFAULT-VALUE})")
    String readAccess;

    @Option(names = "--instance-type", defaultValue = "t3.small", description = "EC2 instance type (default ${DEFAULT-VALUE})")
    String instanceType;

    @Option(names = "--ami", description = "AMI id; default: the latest Amazon Linux 2023 x86_64")
    String ami;

    @Option(names = "--running-timeout", defaultValue = "5m", description = "Wait at most this long for instances to run or terminate")
    Duration runningTimeout;

    @Option(names = "--health-timeout", defaultValue = "${env:TALLY_DEPLOY_HEALTH_TIMEOUT:-5m}",
            description = "Wait at most this long for every new instance to be ready with the new version"
                    + " (env TALLY_DEPLOY_HEALTH_TIMEOUT)")
    Duration healthTimeout;

    @Option(names = "--poll-interval", defaultValue = "${env:TALLY_DEPLOY_POLL_INTERVAL:-2s}",
            description = "Pause between health and state polls (env TALLY_DEPLOY_POLL_INTERVAL)")
    Duration pollInterval;

    @Option(names = "--lock-ttl", defaultValue = "30m", description = "The environment lock expires after this")
    Duration lockTtl;

    @Option(names = "--url-ttl", defaultValue = "1h", description = "How long the presigned jar URL in the user-data stays valid")
    Duration urlTtl;

    @Option(names = "--data-store", description = "Where the instances keep datasets; default s3://BUCKET/data/ENV/")
    String dataStore;

    @Option(names = "--force-unlock", description = "Remove the environment's lock first (when a dead run left it)")
    boolean forceUnlock;

    ReleaseSettings settings() {
        if (!"public".equals(readAccess) && !"token".equals(readAccess)) {
            throw new DeployException("--read-access is public or token, not " + readAccess, 2, null);
        }
        return new ReleaseSettings(port, cidr, instanceType, ami, runningTimeout, healthTimeout, pollInterval, lockTtl, urlTtl,
                readAccess);
    }
}
