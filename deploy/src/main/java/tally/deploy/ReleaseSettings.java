package tally.deploy;

import java.time.Duration;

/**
 * How releases provision and how long each wait may take; from the command line, with production defaults.
 * {@code readAccess} is null when not given: the release keeps what the live fleet has.
 */
public record ReleaseSettings(
        int port,
        String cidr,
        String instanceType,
        String ami,
        Duration runningTimeout,
        Duration healthTimeout,
        Duration pollInterval,
        Duration lockTtl,
        Duration urlValidity,
        String readAccess) {
}
