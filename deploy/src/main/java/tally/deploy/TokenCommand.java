package tally.deploy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Instance;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/**
 * {@code tally-deploy token create|list|revoke --env E}: who may write to an environment. The list lives
 * beside the environment's history ({@link EnvTokens}); its instances poll it, so changes need no release.
 */
final class TokenCommand {
    static final Option NAME = Option.value("--name", "NAME",
            "Who or what holds it, e.g. ci or alice (1-64 of A-Z a-z 0-9 . - _ @)");

    static final Option EXPIRES = Option.value("--expires", "DURATION",
            "Stop accepting it after this long, e.g. 90d or 12h; without it the token lasts until revoked");
    static final Option WAIT = Option.flag(null, "--wait",
            "Return once every running instance of the environment accepts the new token (exit 1 if one does not"
                    + " within --wait-limit)");
    static final Option WAIT_LIMIT = Option.value("--wait-limit", "DURATION",
            "How long --wait waits for each instance").withDefault("30s");

    static final DeployCommand COMMAND = DeployCommand.group("token",
            "Write tokens of an environment: made, listed and revoked without a release.", List.of(
                    DeployCommand.of("create", "--env ENV --name NAME [--expires DURATION] [--wait]",
                            "Make a token, print it once (stdout), and add its SHA-256 to the environment's list.",
                            List.of(DeployCli.ENV, NAME, EXPIRES, WAIT, WAIT_LIMIT, ReleaseOptions.PORT),
                            TokenCommand::create),
                    DeployCommand.of("list", "--env ENV",
                            "The environment's tokens: names, when and by whom they were made (never the tokens).",
                            List.of(DeployCli.ENV), TokenCommand::list),
                    DeployCommand.of("revoke", "--env ENV --name NAME",
                            "Remove a token from the environment's list; running instances refuse it within seconds.",
                            List.of(DeployCli.ENV, NAME), TokenCommand::revoke)));

    private TokenCommand() {
    }

    private static EnvTokens tokens(DeployCli cli, AwsClients aws, String env) {
        return new EnvTokens(aws.s3(), cli.bucket(), env);
    }

    /** Token changes go into the environment's history, beside its releases: who let whom in, and when. */
    private static void record(DeployCli cli, AwsClients aws, String env, String action, String name) {
        AwsErrors.during("append to the history of " + env, () -> {
            new History(aws.s3(), cli.bucket(), cli.mapper).append(env, new HistoryEntry(Instant.now().toString(),
                    action, "succeeded", null, null, null, null, "token " + name, null, 0, DeployCli.actor()));
            return null;
        });
    }

    private static int create(DeployCli cli, CommandArgs args) throws UsageException {
        String env = args.required(DeployCli.ENV);
        String name = args.required(NAME);
        Duration validFor = args.string(EXPIRES) == null ? null : args.duration(EXPIRES);
        try (AwsClients aws = cli.clients()) {
            EnvTokens.Created created = tokens(cli, aws, env).create(name, DeployCli.actor(), Instant.now(), validFor);
            record(cli, aws, env, "token-create", name);
            // The token alone on stdout, so TOKEN=$(tally-deploy token create ...) works; the rest is for people.
            cli.err().println("token " + name + " for " + env + " (shown this once: keep it in"
                    + " a secret store" + (created.expires() == null ? "" : "; it expires at " + created.expires())
                    + "). Running instances accept it within " + EnvTokens.PICKUP
                    + ". Send it as Authorization: Bearer TOKEN, or paste it into the sign-in page.");
            cli.err().flush();
            if (args.has(WAIT)) {
                String refused = awaitInstances(cli, aws, env, created.token(), args.intValue(ReleaseOptions.PORT, 1, 65535),
                        args.duration(WAIT_LIMIT));
                if (refused != null) {
                    // The token exists and is printed all the same: it works once the instances read the list.
                    cli.emit(created, created.token());
                    throw new DeployException("token " + name + " was made, but " + refused);
                }
            }
            cli.emit(created, created.token());
        }
        return 0;
    }

    /** Null once every running instance accepts {@code token}; else which one does not, and what it answered. */
    private static String awaitInstances(DeployCli cli, AwsClients aws, String env, String token, int port,
                                         Duration limit) {
        EnvHttp envHttp = cli.http(aws, env);
        InstanceHost host = cli.host(aws, port, envHttp);
        HttpClient http = envHttp.client(Duration.ofSeconds(5));
        for (Instance instance : new Fleet(aws.ec2(), env, Duration.ofSeconds(2)).instances()) {
            if (!"running".equals(instance.state().nameAsString())) {
                continue; // still booting or stopping: it reads the list when its service starts
            }
            TokenProbe.Answer answer;
            try {
                answer = TokenProbe.await(http, host.endpoint(instance), token, limit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "the wait was interrupted";
            }
            if (!answer.accepted()) {
                return instance.instanceId() + " does not accept it after " + answer.waitedMillis() + " ms (last: "
                        + answer.last() + "): does it read " + EnvTokens.location(cli.bucket(), env) + "?";
            }
            cli.err().println("  " + instance.instanceId() + " accepts it (after " + answer.waitedMillis() + " ms)");
        }
        cli.err().flush();
        return null;
    }

    private static int list(DeployCli cli, CommandArgs args) throws UsageException {
        String env = args.required(DeployCli.ENV);
        try (AwsClients aws = cli.clients()) {
            List<EnvTokens.Entry> entries = tokens(cli, aws, env).list();
            cli.emit(entries, entries.isEmpty()
                    ? "no tokens for " + env + ": its instances refuse every write (tally-deploy token create)"
                    : entries.stream().map(e -> e.name() + "  sha256:" + e.sha256().substring(0, 12) + "...  created "
                            + e.created() + " by " + e.createdBy() + (e.expires() == null ? "" : e.expiredAt(Instant.now())
                                    ? "  EXPIRED at " + e.expires() + " (refused; revoke it to tidy the list)"
                                    : "  expires " + e.expires()))
                            .collect(Collectors.joining(System.lineSeparator())));
        }
        return 0;
    }

    private static int revoke(DeployCli cli, CommandArgs args) throws UsageException {
        String env = args.required(DeployCli.ENV);
        String name = args.required(NAME);
        try (AwsClients aws = cli.clients()) {
            EnvTokens.Entry removed = tokens(cli, aws, env).revoke(name);
            record(cli, aws, env, "token-revoke", name);
            cli.emit(removed, "revoked token " + name + " of " + env + "; running instances refuse it within "
                    + EnvTokens.PICKUP + " (browser sessions signed in with it end at once)");
        }
        return 0;
    }
}
