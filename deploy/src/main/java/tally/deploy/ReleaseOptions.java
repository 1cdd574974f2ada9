package tally.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** Provisioning and timing options shared by release, rollback, teardown, status, smoke and plan. */
public final class ReleaseOptions {
    static final Option PORT = Option.value("--port", "PORT", "Service port on the instances").withDefault(8080);
    static final Option CIDR = Option.value("--cidr", "CIDR", "Who may reach the service port; the default lets"
            + " anyone read, and only token holders write: see tally-deploy token").withDefault("0.0.0.0/0");
    static final Option READ_ACCESS = Option.value("--read-access", "public|token", "public: anyone who reaches the"
            + " port may read datasets; token: reads need a token too. Default: what the live release has (instance"
            + " tag read-access), else public, so a release or rollback never opens reads by leaving it out");
    static final Option INSTANCE_TYPE = Option.value("--instance-type", "TYPE", "EC2 instance type").withDefault("t3.small");
    static final Option AMI = Option.value("--ami", "AMI", "AMI id; default: the latest Amazon Linux 2023 x86_64");
    static final Option RUNNING_TIMEOUT = Option.value("--running-timeout", "DURATION",
            "Wait at most this long for instances to run or terminate").withDefault("5m");
    static final Option HEALTH_TIMEOUT = Option.value("--health-timeout", "DURATION",
            "Wait at most this long for every new instance to be ready with the new version")
            .withEnv("TALLY_DEPLOY_HEALTH_TIMEOUT").withDefault("5m");
    static final Option POLL_INTERVAL = Option.value("--poll-interval", "DURATION", "Pause between health and state polls")
            .withEnv("TALLY_DEPLOY_POLL_INTERVAL").withDefault("2s");
    static final Option LOCK_TTL = Option.value("--lock-ttl", "DURATION", "The environment lock expires after this")
            .withDefault("30m");
    static final Option URL_TTL = Option.value("--url-ttl", "DURATION",
            "How long the presigned jar URL in the user-data stays valid").withDefault("1h");
    static final Option DATA_STORE = Option.value("--data-store", "URL",
            "Where the instances keep datasets; default s3://BUCKET/data/ENV/");
    static final Option FORCE_UNLOCK = Option.flag(null, "--force-unlock",
            "Remove the environment's lock first (when a dead run left it)");

    private static final List<Option> OPTIONS = List.of(PORT, CIDR, READ_ACCESS, INSTANCE_TYPE, AMI, RUNNING_TIMEOUT,
            HEALTH_TIMEOUT, POLL_INTERVAL, LOCK_TTL, URL_TTL, DATA_STORE, FORCE_UNLOCK);

    final int port;
    final String cidr;
    final String readAccess;
    final String instanceType;
    final String ami;
    final Duration runningTimeout;
    final Duration healthTimeout;
    final Duration pollInterval;
    final Duration lockTtl;
    final Duration urlTtl;
    final String dataStore;
    final boolean forceUnlock;

    /** Reads and checks every option: a bad value is a usage error before anything is asked of AWS. */
    ReleaseOptions(CommandArgs args) throws UsageException {
        port = args.intValue(PORT, 1, 65_535);
        cidr = args.required(CIDR);
        // Null when not given: the release keeps the live fleet's (Release.readAccess).
        readAccess = args.string(READ_ACCESS) == null ? null : args.oneOf(READ_ACCESS, "public", "token");
        instanceType = args.required(INSTANCE_TYPE);
        ami = args.string(AMI);
        runningTimeout = args.duration(RUNNING_TIMEOUT);
        healthTimeout = args.duration(HEALTH_TIMEOUT);
        pollInterval = args.duration(POLL_INTERVAL);
        lockTtl = args.duration(LOCK_TTL);
        urlTtl = args.duration(URL_TTL);
        dataStore = args.string(DATA_STORE);
        forceUnlock = args.has(FORCE_UNLOCK);
    }

    /** A command's own options, then these. */
    static List<Option> after(Option... own) {
        List<Option> all = new ArrayList<>(List.of(own));
        all.addAll(OPTIONS);
        return all;
    }

    ReleaseSettings settings() {
        return new ReleaseSettings(port, cidr, instanceType, ami, runningTimeout, healthTimeout, pollInterval, lockTtl, urlTtl,
                readAccess);
    }
}
