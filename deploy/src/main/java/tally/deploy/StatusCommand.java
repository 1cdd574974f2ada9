package tally.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Instance;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.UsageException;

/** {@code status}: an environment as it runs now. */
final class StatusCommand {
    static final DeployCommand COMMAND = DeployCommand.of("status", "--env ENV [OPTIONS]",
            "The environment's instances, versions, health and stable address.", ReleaseOptions.after(DeployCli.ENV),
            (cli, args) -> new StatusCommand(cli, args).run());

    private final DeployCli cli;
    private final String env;
    private final ReleaseOptions options;

    private StatusCommand(DeployCli cli, CommandArgs args) throws UsageException {
        this.cli = cli;
        env = args.required(DeployCli.ENV);
        options = new ReleaseOptions(args);
    }

    /** One instance as status shows it; {@code url} is the service on that instance. */
    record InstanceStatus(String id, String state, String version, String deployId, String ip, boolean live, String health,
                          String url) {
    }

    /** The environment as status shows it; {@code url} is the service through the stable address. */
    record Status(String env, String liveVersion, String address, String url, String data, String readAccess,
                  int tokens, List<InstanceStatus> instances) {
    }

    private int run() {
        try (AwsClients aws = cli.clients()) {
            Fleet fleet = new Fleet(aws.ec2(), env, options.pollInterval);
            Optional<Address> address = fleet.address();
            EnvHttp http = cli.http(aws, env);
            InstanceHost host = cli.host(aws, options.port, http);
            HealthGate gate = new HealthGate(cli.mapper, options.pollInterval, http.client(HealthGate.CONNECT_TIMEOUT));
            String target = address.map(Address::instanceId).orElse(null);
            List<InstanceStatus> rows = new ArrayList<>();
            List<Instance> instances = fleet.instances();
            for (Instance i : instances) {
                String version = Fleet.tag(i, "version");
                String health = "running".equals(i.state().nameAsString()) && version != null
                        ? gate.check(i.instanceId(), host.endpoint(i), version).detail() : "-";
                rows.add(new InstanceStatus(i.instanceId(), i.state().nameAsString(), version, Fleet.tag(i, "deploy-id"),
                        i.publicIpAddress(), i.instanceId().equals(target), health, url(() -> host.endpoint(i))));
            }
            String live = rows.stream().filter(InstanceStatus::live).map(InstanceStatus::version).findFirst().orElse(null);
            String url = address.isPresent() && target != null
                    ? url(() -> host.addressEndpoint(address.get().publicIp(), target)) : null;
            // Who may do what: reads as the live fleet was released with, writes for the holders of listed tokens.
            String reads = instances.stream().filter(i -> i.instanceId().equals(target))
                    .map(i -> Fleet.tag(i, Fleet.READ_ACCESS_TAG)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            int tokens = new EnvTokens(aws.s3(), cli.bucket(), env).list().size();
            Status status = new Status(env, live, address.map(Address::publicIp).orElse(null), url,
                    cli.dataStore(aws, env, options).location(), reads, tokens, rows);
            StringBuilder text = new StringBuilder();
            text.append(env).append(": live ").append(live == null ? "nothing" : live)
                    .append(", address ").append(status.address() == null ? "-" : status.address())
                    .append(", url ").append(url == null ? "-" : url).append(", datasets in ").append(status.data())
                    .append(System.lineSeparator()).append("  reads ")
                    .append(reads == null ? "-" : "token".equals(reads) ? "need a token" : "are public")
                    .append(", writes need one of ").append(tokens).append(" token(s) (tally-deploy token list --env ")
                    .append(env).append(")");
            for (InstanceStatus r : rows) {
                text.append(System.lineSeparator()).append("  ").append(r.id()).append("  ").append(r.state())
                        .append("  ").append(r.version()).append("  ").append(r.deployId()).append("  ").append(r.ip())
                        .append(r.live() ? "  (address)" : "").append("  ").append(r.health());
            }
            cli.emit(status, text.toString());
        }
        return 0;
    }

    /** A URL, or null where there is none (an instance without a public address, or not rehearsed here). */
    private static String url(java.util.function.Supplier<java.net.URI> uri) {
        try {
            return uri.get().toString();
        } catch (DeployException | IllegalArgumentException e) {
            return null;
        }
    }
}
