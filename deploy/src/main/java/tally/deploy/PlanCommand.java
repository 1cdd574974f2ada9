package tally.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/**
 * Prints the steps and AWS calls a release, rollback or teardown would make. It only reads, and asks EC2
 * about each mutating call with {@code DryRun=true}, which checks permissions and parameters and changes
 * nothing: EC2 answers {@code DryRunOperation} when the call would succeed.
 */
final class PlanCommand {
    enum Action { release, rollback, teardown }

    static final Option ACTION = Option.parameter("ACTION", "release, rollback or teardown");
    static final Option VERSION = Option.value("--version", "V", "Version to release (release only)");
    static final Option COUNT = Option.value("--count", "N", "Instances the release would launch").withDefault(1);

    static final DeployCommand COMMAND = DeployCommand.of("plan", "release|rollback|teardown --env ENV [OPTIONS]",
            "Print what release, rollback or teardown would do, with EC2 DryRun checks; changes nothing.",
            ReleaseOptions.after(ACTION, DeployCli.ENV, VERSION, COUNT), (cli, args) -> new PlanCommand(cli, args).run());

    private final DeployCli cli;
    private final Action action;
    private final String env;
    private final String version;
    private final int count;
    private final ReleaseOptions options;

    private PlanCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        action = Action.valueOf(args.oneOf(ACTION, "release", "rollback", "teardown"));
        env = args.required(DeployCli.ENV);
        version = args.string(VERSION);
        count = args.intValue(COUNT);
        options = new ReleaseOptions(args);
    }

    /** One planned AWS call and what the read or the dry run found. */
    record Step(String call, String check, boolean ok) {
    }

    /** The whole plan. */
    record Plan(String action, String env, String version, boolean ok, List<Step> steps) {
    }

    private int run() {
        List<Step> steps = new ArrayList<>();
        try (AwsClients aws = cli.clients()) {
            Ec2Client ec2 = aws.ec2();
            String bucket = cli.bucket();
            Fleet fleet = new Fleet(ec2, env, options.pollInterval);
            History history = new History(aws.s3(), bucket, cli.mapper);
            Optional<Fleet.Live> live = fleet.live();
            List<Instance> current = fleet.instances();
            Optional<Address> address = fleet.address();
            Optional<SecurityGroup> group = fleet.securityGroup();
            steps.add(read("S3 PutObject s3://" + bucket + "/" + EnvLock.key(env) + " If-None-Match:* (lock)",
                    () -> lockState(aws, bucket)));
            String target = version;
            if (action == Action.rollback) {
                target = live.flatMap(l -> history.previousVersion(env, l.version())).orElse(null);
                steps.add(new Step("choose the previous release from s3://" + bucket + "/" + History.key(env),
                        target == null ? "no previous release" : "would roll back to " + target, target != null));
            }
            if (action == Action.teardown) {
                List<String> ids = current.stream().map(Instance::instanceId).toList();
                if (!ids.isEmpty()) {
                    steps.add(dryRun("EC2 TerminateInstances " + ids, () -> ec2.terminateInstances(b -> b.instanceIds(ids).dryRun(true))));
                }
                address.ifPresent(a -> steps.add(dryRun("EC2 ReleaseAddress " + a.allocationId() + " (" + a.publicIp() + ")",
                        () -> ec2.releaseAddress(b -> b.allocationId(a.allocationId()).dryRun(true)))));
                group.ifPresent(g -> steps.add(dryRun("EC2 DeleteSecurityGroup " + g.groupId(),
                        () -> ec2.deleteSecurityGroup(b -> b.groupId(g.groupId()).dryRun(true)))));
            } else {
                planRelease(aws, fleet, target, live, current, address, group, steps);
            }
        }
        boolean ok = steps.stream().allMatch(Step::ok);
        Plan plan = new Plan(action.name(), env, version, ok, steps);
        StringBuilder text = new StringBuilder("plan " + action + " " + env + (version == null ? "" : " " + version) + " (nothing is changed)");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            text.append(System.lineSeparator()).append(String.format("%2d. %s%n      %s%s", i + 1, s.call(),
                    s.ok() ? "" : "PROBLEM: ", s.check()));
        }
        cli.emit(plan, text.toString().stripTrailing());
        return ok ? 0 : 1;
    }

    private void planRelease(AwsClients aws, Fleet fleet, String target, Optional<Fleet.Live> live, List<Instance> current,
                             Optional<Address> address, Optional<SecurityGroup> group, List<Step> steps) {
        Ec2Client ec2 = aws.ec2();
        ReleaseStore store = new ReleaseStore(aws.s3(), aws.presigner(), cli.bucket(), cli.mapper);
        if (target == null) {
            steps.add(new Step("choose a version", "pass --version", false));
            return;
        }
        steps.add(read("S3 GetObject s3://" + store.bucket() + "/" + ReleaseStore.manifestKey(target),
                () -> store.manifest(target).map(m -> "published, sha256 " + m.sha256()).orElseThrow(
                        () -> new DeployException(target + " is not published"))));
        if (live.isPresent() && target.equals(live.get().version())) {
            steps.add(new Step("compare with the live release", target + " is live: release is a no-op if its instances are healthy", true));
        }
        if (group.isPresent()) {
            steps.add(new Step("EC2 DescribeSecurityGroups", "reuse " + group.get().groupId(), true));
        } else {
            steps.add(dryRun("EC2 CreateSecurityGroup " + fleet.securityGroupName(), () -> ec2.createSecurityGroup(b -> b
                    .groupName(fleet.securityGroupName()).description("plan").dryRun(true))));
            steps.add(new Step("EC2 AuthorizeSecurityGroupIngress tcp " + options.port + " from " + options.cidr,
                    "follows CreateSecurityGroup (cannot be dry-run before the group exists)", true));
        }
        EnvTls tls = cli.tls(aws, env);
        boolean[] https = {false};
        steps.add(read("S3 GetObject " + tls.certLocation() + " (TLS)", () -> tls.read().map(cert -> {
            https[0] = true;
            return "HTTPS with " + cert.getSubjectX500Principal().getName() + " (valid until "
                    + cert.getNotAfter().toInstant() + ", key " + tls.keyLocation() + "); the health gate pins it";
        }).orElse("none: plain HTTP (tally-deploy tls put --env " + env + " gives the environment a certificate)")));
        steps.add(access(aws, store.bucket(), live, https[0]));
        EnvDataStore data = cli.dataStore(aws, env, options);
        steps.add(read("IAM CreateRole " + data.roleName() + ", PutRolePolicy tally-data-store (" + data.location()
                + ", reading " + data.tokenList() + " and " + EnvTls.prefix(env) + "*), CreateInstanceProfile "
                + data.profileName()
                + ", AddRoleToInstanceProfile", () -> roleState(aws, data)));
        steps.add(new Step("S3 PutBucketLifecycleConfiguration " + store.bucket() + ": abort multipart uploads"
                + " left open for a day (rule tally-abort-incomplete-uploads)", "only if the rule is missing", true));
        String[] ami = new String[1];
        steps.add(read("EC2 DescribeImages (AMI)", () -> ami[0] = fleet.resolveAmi(options.ami)));
        if (ami[0] != null) {
            steps.add(dryRun("EC2 RunInstances " + count + " x " + options.instanceType + " " + ami[0]
                            + " tags app,env,version,deploy-id; ClientToken; user-data: bootstrap for " + target,
                    () -> ec2.runInstances(b -> b.imageId(ami[0]).instanceType(options.instanceType)
                            .minCount(count).maxCount(count).dryRun(true))));
        }
        steps.add(new Step("EC2 DescribeInstances until running (" + options.runningTimeout.toSeconds() + "s), then GET /readyz and"
                + " /version on each new instance (" + options.healthTimeout.toSeconds() + "s)", "no AWS change", true));
        if (address.isEmpty()) {
            steps.add(dryRun("EC2 AllocateAddress (the stable address)", () -> ec2.allocateAddress(b -> b.domain("vpc").dryRun(true))));
        }
        Optional<String> someInstance = current.stream().map(Instance::instanceId).findFirst();
        if (address.isPresent() && someInstance.isPresent()) {
            steps.add(dryRun("EC2 AssociateAddress " + address.get().publicIp() + " -> the first new instance",
                    () -> ec2.associateAddress(b -> b.allocationId(address.get().allocationId())
                            .instanceId(someInstance.get()).allowReassociation(true).dryRun(true))));
        } else {
            steps.add(new Step("EC2 AssociateAddress -> the first new instance", "checked when the instance exists", true));
        }
        List<String> old = current.stream().map(Instance::instanceId).toList();
        if (!old.isEmpty()) {
            steps.add(dryRun("EC2 TerminateInstances " + old + " (the old fleet)",
                    () -> ec2.terminateInstances(b -> b.instanceIds(old).dryRun(true))));
        }
        steps.add(new Step("S3 PutObject s3://" + store.bucket() + "/" + History.key(env) + " (history), DeleteObject lock",
                "after the release", true));
    }

    /**
     * Who may do what once released. The port open to everyone is the default and is normal for a public
     * service, because writes need a token; the step says so, and says when nobody holds one yet.
     */
    private Step access(AwsClients aws, String bucket, Optional<Fleet.Live> live, boolean https) {
        String kept = live.map(Fleet.Live::readAccess).orElse(null);
        String reads = options.readAccess != null ? options.readAccess : kept != null ? kept : "public";
        String why = options.readAccess != null ? "--read-access " + reads
                : kept != null ? "as the live release; --read-access changes it" : "the default; --read-access token closes them";
        EnvTokens tokens = new EnvTokens(aws.s3(), bucket, env);
        String call = "who may do what: port " + options.port + " reachable from " + options.cidr + "; reads "
                + ("token".equals(reads) ? "need a token" : "open to anyone who reaches it")
                + " (" + why + "); writes need a token listed in " + tokens.location();
        return read(call, () -> {
            int held = tokens.list().size();
            String open = options.cidr.equals("0.0.0.0/0") || options.cidr.equals("::/0")
                    ? "open to the internet, which is normal for a public service since writes need a token; "
                    : "";
            return open + (held == 0 ? "no token yet: nobody can write until tally-deploy token create --env " + env
                    : held + " token(s) (tally-deploy token list --env " + env + ")")
                    + (https ? "; traffic is HTTPS, so tokens cross the network encrypted"
                            : "; traffic is plain HTTP, so give the environment a certificate (tally-deploy tls put)"
                                    + " or put TLS in front before tokens cross the internet");
        });
    }

    private static String roleState(AwsClients aws, EnvDataStore data) {
        try {
            aws.iam().getRole(b -> b.roleName(data.roleName()));
            return "role exists: its policy is rewritten, the profile reused";
        } catch (software.amazon.awssdk.services.iam.model.NoSuchEntityException e) {
            return "role and profile would be created";
        }
    }

    private String lockState(AwsClients aws, String bucket) {
        try {
            byte[] bytes = aws.s3().getObjectAsBytes(b -> b.bucket(bucket).key(EnvLock.key(env))).asByteArray();
            EnvLock.Holder h = cli.mapper.readValue(bytes, EnvLock.Holder.class);
            return "currently held by " + h.owner() + " (" + h.message() + ") until " + h.expiresAt();
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return "free";
        } catch (java.io.IOException e) {
            return "unreadable lock object";
        }
    }

    private static Step read(String call, Supplier<?> check) {
        try {
            return new Step(call, String.valueOf(check.get()), true);
        } catch (DeployException e) {
            return new Step(call, e.getMessage(), false);
        } catch (SdkException e) {
            return new Step(call, AwsErrors.describe(call, e).getMessage(), false);
        }
    }

    private static Step dryRun(String call, Runnable request) {
        try {
            request.run();
            return new Step(call, "DryRun: EC2 accepted the call without checking it", true);
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null && "DryRunOperation".equals(e.awsErrorDetails().errorCode())) {
                return new Step(call, "DryRun: would succeed", true);
            }
            return new Step(call, "DryRun: " + AwsErrors.describe(call, e).getMessage(), false);
        } catch (SdkException e) {
            return new Step(call, AwsErrors.describe(call, e).getMessage(), false);
        }
    }
}
