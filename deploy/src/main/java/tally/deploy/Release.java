package tally.deploy;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Blue/green release of one version to one environment: launch a new fleet, gate it on health, move the
 * stable address, then terminate the old fleet. Until the address moves, the old fleet serves; any failure
 * before that terminates the new instances and leaves the old ones alone.
 */
public final class Release {
    /** What a release, rollback or teardown did. */
    public record Outcome(String action, String outcome, String env, String version, String previousVersion,
                          String deployId, List<String> instances, String address, long durationMs, String data) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DEPLOY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Fleet fleet;
    private final ReleaseStore store;
    private final EnvLock lock;
    private final History history;
    private final InstanceHost host;
    private final HealthGate gate;
    private final ReleaseSettings settings;
    private final EnvDataStore data;
    private final EnvTls tls;
    private final Progress progress;
    private final Clock clock;
    private final String actor;
    /** Set while a locked command runs. */
    private volatile OnInterrupt onInterrupt;

    /**
     * @param tls the environment's certificate and key, which the new instances serve HTTPS with (then
     *     {@code host} gives https URLs and {@code gate} pins the certificate); null for plain HTTP
     */
    public Release(Fleet fleet, ReleaseStore store, EnvLock lock, History history, InstanceHost host, HealthGate gate,
                   ReleaseSettings settings, EnvDataStore data, EnvTls tls, Progress progress, Clock clock,
                   String actor) {
        this.fleet = fleet;
        this.store = store;
        this.lock = lock;
        this.history = history;
        this.host = host;
        this.gate = gate;
        this.settings = settings;
        this.data = data;
        this.tls = tls;
        this.progress = progress;
        this.clock = clock;
        this.actor = actor;
    }

    public Outcome release(String version, int count, boolean forceUnlock) {
        if (count < 1 || count > 20) {
            throw new DeployException("--count must be between 1 and 20, not " + count, 2, null);
        }
        return locked("release", version, forceUnlock, () -> deploy("release", version, count));
    }

    public Outcome rollback(boolean forceUnlock) {
        return locked("rollback", null, forceUnlock, () -> {
            Fleet.Live live = fleet.live().orElseThrow(() -> new DeployException(
                    "environment " + fleet.env() + " has no live release to roll back"));
            String previous = history.previousVersion(fleet.env(), live.version()).orElseThrow(() -> new DeployException(
                    "environment " + fleet.env() + " has no release before " + live.version() + " in its history"));
            progress.note("rolling back %s from %s to %s", fleet.env(), live.version(), previous);
            return deploy("rollback", previous, Math.max(1, live.instances().size()));
        });
    }

    /**
     * Removes the environment's instances, address, security group and instance profile. Its datasets stay
     * in the data store (a later release serves them again) unless {@code deleteData}.
     */
    public Outcome teardown(boolean forceUnlock, boolean deleteData) {
        return locked("teardown", null, forceUnlock, () -> {
            long t0 = progress.elapsedMillis();
            List<String> ids = fleet.instances().stream().map(Instance::instanceId).toList();
            String before = fleet.live().map(Fleet.Live::version).orElse(null);
            if (!ids.isEmpty()) {
                progress.step("terminate " + ids, () -> fleet.terminate(ids));
                host.terminated(ids);
                progress.step("wait until terminated", () -> fleet.waitTerminated(ids, settings.runningTimeout()));
            }
            Optional<Address> address = fleet.address();
            address.ifPresent(a -> progress.step("release address " + a.publicIp(), () -> fleet.releaseAddress(a)));
            fleet.securityGroup().ifPresent(g -> progress.step("delete security group " + g.groupId(), () -> fleet.deleteSecurityGroup(g)));
            progress.step("remove instance profile " + data.profileName(), data::removeProfile);
            String dataNote;
            if (deleteData) {
                int deleted = progress.step("delete the datasets under " + data.location(), data::deleteData);
                dataNote = "deleted " + deleted + " objects under " + data.location();
            } else {
                dataNote = "kept at " + data.location() + " (teardown --delete-data removes it)";
            }
            progress.note("datasets %s", dataNote);
            Outcome outcome = new Outcome("teardown", "succeeded", fleet.env(), null, before, null, ids,
                    address.map(Address::publicIp).orElse(null), progress.elapsedMillis() - t0, dataNote);
            history.append(fleet.env(), entry(outcome, null, null));
            return outcome;
        });
    }

    private Outcome locked(String action, String version, boolean forceUnlock, java.util.function.Supplier<Outcome> body) {
        if (forceUnlock) {
            progress.step("remove the lock of " + fleet.env() + " (--force-unlock)", () -> lock.forceUnlock(fleet.env()));
        }
        EnvLock.Held held = progress.step("lock " + fleet.env(), () -> AwsErrors.during("lock " + fleet.env(), () ->
                lock.acquire(fleet.env(), actor, version, action + (version == null ? "" : " " + version), settings.lockTtl())));
        try (OnInterrupt cleanups = new OnInterrupt(progress)) {
            Runnable unlock = cleanups.push("unlock " + fleet.env(), () -> lock.release(held));
            onInterrupt = cleanups;
            try {
                return body.get();
            } finally {
                cleanups.remove(unlock);
                onInterrupt = null;
                AwsErrors.during("unlock " + fleet.env(), () -> {
                    lock.release(held);
                    return null;
                });
            }
        }
    }

    private Outcome deploy(String action, String version, int count) {
        long t0 = progress.elapsedMillis();
        ReleaseManifest manifest = progress.step("check release " + version, () -> store.require(version));
        Optional<Fleet.Live> live = fleet.live();
        String previous = live.map(Fleet.Live::version).orElse(null);
        String readAccess = readAccess(live);
        if (live.isPresent() && version.equals(previous) && live.get().instances().size() == count
                && readAccess.equals(live.get().readAccess()) && healthy(live.get(), version)) {
            progress.note("%s already runs %s on %d healthy instance(s): nothing to do", fleet.env(), version, count);
            return new Outcome(action, "no-op", fleet.env(), version, previous, live.get().deployId(),
                    ids(live.get().instances()), live.get().address().publicIp(), progress.elapsedMillis() - t0,
                    data.location());
        }
        String deployId = "d" + DEPLOY_TIME.format(clock.instant()) + "-" + randomHex();
        String groupId = progress.step("security group " + fleet.securityGroupName(), () -> fleet.ensureSecurityGroup(settings.port(), settings.cidr()));
        String ami = progress.step("resolve AMI", () -> fleet.resolveAmi(settings.ami()));
        String profile = progress.step("data store " + data.location() + ", token list " + data.tokenList() + ", instance profile", data::prepare);
        progress.note("%s", tls == null ? "plain HTTP (no certificate in " + fleet.env() + ")"
                : "HTTPS with " + tls.certLocation() + " and " + tls.keyLocation());
        String userData = BootstrapScript.render(version, store.presignedJarUrl(version, settings.urlValidity()),
                manifest.sha256(), settings.port(), data.location(), data.tokenList(), readAccess,
                tls == null ? null : new BootstrapScript.Tls(tls.certLocation(), tls.keyLocation()));
        List<String> ids = progress.step("launch " + count + " x " + settings.instanceType() + " (" + ami + ") for " + version,
                () -> fleet.launch(new Fleet.Launch(ami, settings.instanceType(), count, groupId, userData, version, deployId,
                        deployId, profile, readAccess)));
        progress.note("new instances: %s (deploy %s)", ids, deployId);
        Runnable abandon = onInterrupt.push("terminate the new instances " + ids, () -> {
            fleet.terminate(ids);
            host.terminated(ids);
            history.append(fleet.env(), entry(new Outcome(action, "interrupted", fleet.env(), version, previous, deployId, ids,
                    null, progress.elapsedMillis() - t0, data.location()), "stopped before the address moved", null));
        });
        Address address;
        List<HealthGate.Answer> lastHealth = new ArrayList<>();
        try {
            progress.step("wait until running", () -> fleet.waitRunning(ids, settings.runningTimeout()));
            List<Instance> instances = fleet.describe(ids);
            host.started(instances);
            Map<String, URI> endpoints = new LinkedHashMap<>();
            instances.forEach(i -> endpoints.put(i.instanceId(), host.endpoint(i)));
            lastHealth.addAll(progress.step("health gate: /readyz 200 and /version " + version,
                    () -> gate.await(endpoints, version, settings.healthTimeout())));
            address = progress.step("move the stable address to " + ids.get(0), () -> {
                Address a = fleet.ensureAddress();
                fleet.associate(a, ids.get(0));
                return a;
            });
        } catch (DeployException failure) {
            onInterrupt.remove(abandon);
            if (failure instanceof HealthGate.Closed closed) {
                lastHealth.addAll(closed.answers());
            }
            progress.step("terminate the new instances " + ids, () -> fleet.terminate(ids));
            host.terminated(ids);
            Outcome failed = new Outcome(action, "failed", fleet.env(), version, previous, deployId, ids, null,
                    progress.elapsedMillis() - t0, data.location());
            history.append(fleet.env(), entry(failed, failure.getMessage(), lastHealth));
            throw new DeployException(action + " of " + version + " to " + fleet.env() + " failed: " + failure.getMessage()
                    + (previous == null ? "" : "; " + previous + " keeps serving") + "; the new instances were terminated", failure);
        }
        // The address has moved: from here on the new fleet is the live one, whatever happens.
        onInterrupt.remove(abandon);
        List<String> old = fleet.instances().stream().map(Instance::instanceId).filter(id -> !ids.contains(id)).toList();
        if (!old.isEmpty()) {
            progress.step("terminate the old fleet " + old, () -> fleet.terminate(old));
            host.terminated(old);
        }
        Outcome done = new Outcome(action, "succeeded", fleet.env(), version, previous, deployId, ids, address.publicIp(),
                progress.elapsedMillis() - t0, data.location());
        history.append(fleet.env(), entry(done, null, lastHealth));
        progress.note("%s now serves %s at %s", fleet.env(), version, address.publicIp());
        return done;
    }

    /**
     * {@code --read-access} if given, else the live fleet's, else public: a release or a rollback that does
     * not mention it never opens reads that were closed.
     */
    private String readAccess(Optional<Fleet.Live> live) {
        if (settings.readAccess() != null) {
            return settings.readAccess();
        }
        String kept = live.map(Fleet.Live::readAccess).orElse(null);
        if (kept != null) {
            progress.note("reads: %s, as the live release has them (--read-access changes it)", kept);
            return kept;
        }
        return "public";
    }

    private boolean healthy(Fleet.Live live, String version) {
        return live.instances().stream().allMatch(i -> gate.check(i.instanceId(), host.endpoint(i), version).passed());
    }

    private HistoryEntry entry(Outcome o, String reason, List<HealthGate.Answer> health) {
        return new HistoryEntry(clock.instant().toString(), o.action(), o.outcome(), o.version(), o.previousVersion(),
                o.deployId(), o.instances(), reason,
                health == null ? null : health.stream().map(HealthGate.Answer::toString).toList(),
                o.durationMs(), actor);
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::instanceId).toList();
    }

    private static String randomHex() {
        byte[] bytes = new byte[3];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
