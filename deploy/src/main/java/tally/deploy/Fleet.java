package tally.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * The EC2 resources of one environment, all found by their tags ({@code app=tally}, {@code env=E}):
 * instances (also tagged {@code version} and {@code deploy-id}), the security group and the Elastic IP
 * that is the environment's stable address.
 */
public final class Fleet {
    public static final String APP = "tally";
    private static final Pattern ENV = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final List<String> ALIVE = List.of("pending", "running", "stopping", "stopped");

    private final Ec2Client ec2;
    private final String env;
    private final Duration pollInterval;

    public Fleet(Ec2Client ec2, String env, Duration pollInterval) {
        this.ec2 = ec2;
        this.env = checkEnv(env);
        this.pollInterval = pollInterval;
    }

    public static String checkEnv(String env) {
        if (env == null || !ENV.matcher(env).matches()) {
            throw new DeployException("invalid environment '" + env + "': lower-case letters, digits and -, at most 32");
        }
        return env;
    }

    public String env() {
        return env;
    }

    public String securityGroupName() {
        return "tally-" + env;
    }

    /** Instances of the environment that are not terminated (or shutting down). */
    public List<Instance> instances() {
        return AwsErrors.during("list the instances of " + env, () ->
                ec2.describeInstancesPaginator(b -> b.filters(envFilters(filter("instance-state-name", ALIVE))))
                        .reservations().stream()
                        .flatMap(r -> r.instances().stream())
                        .sorted(Comparator.comparing(Instance::instanceId))
                        .toList());
    }

    public List<Instance> describe(Collection<String> ids) {
        return AwsErrors.during("describe instances " + ids, () ->
                ec2.describeInstances(b -> b.instanceIds(ids)).reservations().stream()
                        .flatMap(r -> r.instances().stream())
                        .sorted(Comparator.comparing(Instance::instanceId))
                        .toList());
    }

    /** What the stable address points at: the live deploy and every instance launched with it. */
    public record Live(Address address, String version, String deployId, List<Instance> instances) {
        /** The {@code --read-access} the fleet was released with (its instance tag), or null for a fleet older than the tag. */
        public String readAccess() {
            return instances.stream().map(i -> tag(i, READ_ACCESS_TAG)).filter(java.util.Objects::nonNull).findFirst()
                    .orElse(null);
        }
    }

    public Optional<Live> live() {
        Optional<Address> address = address();
        if (address.isEmpty() || address.get().instanceId() == null) {
            return Optional.empty();
        }
        List<Instance> all = instances();
        Optional<Instance> target = all.stream().filter(i -> i.instanceId().equals(address.get().instanceId())).findFirst();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        String deployId = tag(target.get(), "deploy-id");
        List<Instance> fleet = all.stream().filter(i -> deployId != null && deployId.equals(tag(i, "deploy-id"))).toList();
        return Optional.of(new Live(address.get(), tag(target.get(), "version"), deployId, fleet));
    }

    public Optional<Address> address() {
        return AwsErrors.during("find the address of " + env, () ->
                ec2.describeAddresses(b -> b.filters(envFilters())).addresses().stream().findFirst());
    }

    public Optional<SecurityGroup> securityGroup() {
        return AwsErrors.during("find the security group of " + env, () ->
                ec2.describeSecurityGroups(b -> b.filters(envFilters())).securityGroups().stream().findFirst());
    }

    /** The security group, created on first use, opening {@code port} to {@code cidr}. */
    public String ensureSecurityGroup(int port, String cidr) {
        Optional<SecurityGroup> existing = securityGroup();
        if (existing.isPresent()) {
            return existing.get().groupId();
        }
        String groupId = AwsErrors.during("create security group " + securityGroupName(), () ->
                ec2.createSecurityGroup(b -> b.groupName(securityGroupName())
                        .description("Tally " + env + ": service port " + port)
                        .tagSpecifications(tags(ResourceType.SECURITY_GROUP))).groupId());
        AwsErrors.during("open port " + port + " to " + cidr, () ->
                ec2.authorizeSecurityGroupIngress(b -> b.groupId(groupId).ipPermissions(p -> p
                        .ipProtocol("tcp").fromPort(port).toPort(port)
                        .ipRanges(r -> r.cidrIp(cidr).description("tally service")))));
        return groupId;
    }

    /** The given AMI, or the newest Amazon Linux 2023 x86_64 image published by Amazon. */
    public String resolveAmi(String given) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        return AwsErrors.during("find the latest Amazon Linux 2023 AMI", () ->
                ec2.describeImages(b -> b.owners("amazon").filters(
                                filter("name", List.of("al2023-ami-2023.*-x86_64")),
                                filter("state", List.of("available"))))
                        .images().stream()
                        .max(Comparator.comparing(Image::creationDate, Comparator.nullsFirst(Comparator.naturalOrder())))
                        .map(Image::imageId)
                        .orElseThrow(() -> new DeployException("no Amazon Linux 2023 AMI found in this region; pass --ami")));
    }

    /**
     * Launches {@code count} instances. {@code clientToken} makes a retried call idempotent on EC2: the SDK
     * retries a timed-out RunInstances with the same token and EC2 answers with the first reservation instead
     * of launching twice. moto 5.2 ignores the token, so the rehearsal cannot show this.
     */
    public List<String> launch(Launch launch) {
        String userData = Base64.getEncoder().encodeToString(launch.userData().getBytes(StandardCharsets.UTF_8));
        return AwsErrors.during("launch " + launch.count() + " " + launch.instanceType() + " instances", () ->
                ec2.runInstances(b -> b.imageId(launch.ami()).instanceType(launch.instanceType())
                                .minCount(launch.count()).maxCount(launch.count())
                                .securityGroupIds(launch.securityGroupId())
                                .userData(userData)
                                .clientToken(launch.clientToken())
                                .iamInstanceProfile(p -> p.name(launch.instanceProfile()))
                                .tagSpecifications(launchTags(launch, ResourceType.INSTANCE), launchTags(launch, ResourceType.VOLUME)))
                        .instances().stream().map(Instance::instanceId).sorted().toList());
    }

    /** What RunInstances needs for one release. */
    public record Launch(String ami, String instanceType, int count, String securityGroupId, String userData,
                         String version, String deployId, String clientToken, String instanceProfile, String readAccess) {
    }

    /** The instance tag that records a fleet's {@code --read-access}, which the next release keeps by default. */
    public static final String READ_ACCESS_TAG = "read-access";

    public void waitRunning(Collection<String> ids, Duration timeout) {
        waitFor("wait for " + ids + " to run", timeout, waiter -> waiter.waitUntilInstanceRunning(b -> b.instanceIds(ids)));
    }

    public void waitTerminated(Collection<String> ids, Duration timeout) {
        waitFor("wait for " + ids + " to terminate", timeout, waiter -> waiter.waitUntilInstanceTerminated(b -> b.instanceIds(ids)));
    }

    public void terminate(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        AwsErrors.during("terminate " + ids, () -> ec2.terminateInstances(b -> b.instanceIds(ids)));
    }

    /** The environment's Elastic IP, allocated (and tagged) on first use. */
    public Address ensureAddress() {
        Optional<Address> existing = address();
        if (existing.isPresent()) {
            return existing.get();
        }
        String allocationId = AwsErrors.during("allocate an Elastic IP", () ->
                ec2.allocateAddress(b -> b.domain("vpc").tagSpecifications(tags(ResourceType.ELASTIC_IP))).allocationId());
        return AwsErrors.during("describe address " + allocationId, () ->
                ec2.describeAddresses(b -> b.allocationIds(allocationId)).addresses().get(0));
    }

    /** Points the stable address at {@code instanceId} (reassociation is atomic on EC2's side). */
    public void associate(Address address, String instanceId) {
        AwsErrors.during("move " + address.publicIp() + " to " + instanceId, () ->
                ec2.associateAddress(b -> b.allocationId(address.allocationId()).instanceId(instanceId).allowReassociation(true)));
    }

    public void releaseAddress(Address address) {
        if (address.associationId() != null) {
            AwsErrors.during("disassociate " + address.publicIp(), () ->
                    ec2.disassociateAddress(b -> b.associationId(address.associationId())));
        }
        AwsErrors.during("release " + address.publicIp(), () -> ec2.releaseAddress(b -> b.allocationId(address.allocationId())));
    }

    public void deleteSecurityGroup(SecurityGroup group) {
        AwsErrors.during("delete security group " + group.groupId(), () -> ec2.deleteSecurityGroup(b -> b.groupId(group.groupId())));
    }

    public static String tag(Instance instance, String key) {
        return instance.tags().stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    List<Filter> envFilters(Filter... more) {
        List<Filter> filters = new ArrayList<>(List.of(filter("tag:app", List.of(APP)), filter("tag:env", List.of(env))));
        filters.addAll(List.of(more));
        return filters;
    }

    private static Filter filter(String name, List<String> values) {
        return Filter.builder().name(name).values(values).build();
    }

    private TagSpecification tags(ResourceType type) {
        return TagSpecification.builder().resourceType(type)
                .tags(Tag.builder().key("app").value(APP).build(), Tag.builder().key("env").value(env).build(),
                        Tag.builder().key("Name").value("tally-" + env).build())
                .build();
    }

    private TagSpecification launchTags(Launch launch, ResourceType type) {
        return TagSpecification.builder().resourceType(type)
                .tags(Tag.builder().key("app").value(APP).build(), Tag.builder().key("env").value(env).build(),
                        Tag.builder().key("version").value(launch.version()).build(),
                        Tag.builder().key("deploy-id").value(launch.deployId()).build(),
                        Tag.builder().key(READ_ACCESS_TAG).value(launch.readAccess()).build(),
                        Tag.builder().key("Name").value("tally-" + env + "-" + launch.version()).build())
                .build();
    }

    private void waitFor(String action, Duration timeout, java.util.function.Consumer<Ec2Waiter> wait) {
        int attempts = (int) Math.max(1, timeout.toMillis() / Math.max(1, pollInterval.toMillis()));
        try (Ec2Waiter waiter = Ec2Waiter.builder().client(ec2)
                .overrideConfiguration(WaiterOverrideConfiguration.builder()
                        .maxAttempts(attempts)
                        .backoffStrategyV2(software.amazon.awssdk.retries.api.BackoffStrategy.fixedDelay(pollInterval))
                        .waitTimeout(timeout)
                        .build())
                .build()) {
            AwsErrors.during(action, () -> {
                wait.accept(waiter);
                return null;
            });
        } catch (DeployException e) {
            throw new DeployException(action + ": not done within " + timeout.toSeconds() + "s (" + e.getMessage() + ")", e);
        }
    }
}
