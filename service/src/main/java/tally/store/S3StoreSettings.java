package tally.store;

import java.net.URI;
import java.time.Duration;

/**
 * How an {@link S3DatasetStore} is reached and how it keeps time.
 *
 * @param location the bucket and prefix
 * @param endpoint an S3-compatible endpoint (an emulator such as moto); null for AWS itself
 * @param heartbeat how often an instance re-writes the claims of its uploads in flight; a claim not
 *     re-written for four heartbeats belongs to an instance that stopped, and its dataset reads as failed
 * @param sweepGrace how old an object nothing refers to (an upload's leftovers, a stale claim) must be
 *     before a sweep removes it; far longer than a heartbeat, so a slow instance is never swept from under
 */
public record S3StoreSettings(S3Location location, URI endpoint, Duration heartbeat, Duration sweepGrace) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_SWEEP_GRACE = Duration.ofMinutes(15);

    public S3StoreSettings {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("store heartbeat must be positive, got " + heartbeat);
        }
        if (sweepGrace.compareTo(staleAfter(heartbeat)) <= 0) {
            throw new IllegalArgumentException("the sweep grace (" + sweepGrace
                    + ") must be longer than four heartbeats (" + staleAfter(heartbeat) + ")");
        }
    }

    public static S3StoreSettings of(S3Location location, URI endpoint) {
        return new S3StoreSettings(location, endpoint, DEFAULT_HEARTBEAT, DEFAULT_SWEEP_GRACE);
    }

    /** A claim older than this is an interrupted upload's. */
    public Duration staleAfter() {
        return staleAfter(heartbeat);
    }

    private static Duration staleAfter(Duration heartbeat) {
        return heartbeat.multipliedBy(4);
    }

    /** Sweeps run at start-up and then this often. */
    public Duration sweepEvery() {
        return sweepGrace.dividedBy(2);
    }

    /** Readiness is re-checked this often while nothing else talks to the store. */
    public Duration probeEvery() {
        return heartbeat.compareTo(Duration.ofSeconds(5)) < 0 ? heartbeat : Duration.ofSeconds(5);
    }
}
