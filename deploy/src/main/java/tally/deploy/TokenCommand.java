package tally.deploy;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tally-deploy token create|list|revoke --env E}: who may write to an environment. The list lives
 * beside the environment's history ({@link EnvTokens}); its instances poll it, so changes need no release.
 */
@Command(name = "token", description = "Write tokens of an environment: made, listed and revoked without a release.",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand {
    @ParentCommand
    DeployCli cli;

    EnvTokens tokens(AwsClients aws, String env) {
        return new EnvTokens(aws.s3(), cli.bucket(), env);
    }

    /** Token changes go into the environment's history, beside its releases: who let whom in, and when. */
    void record(AwsClients aws, String env, String action, String name) {
        AwsErrors.during("append to the history of " + env, () -> {
            new History(aws.s3(), cli.bucket(), cli.mapper).append(env, new HistoryEntry(Instant.now().toString(),
                    action, "succeeded", null, null, null, null, "token " + name, null, 0, DeployCli.actor()));
            return null;
        });
    }

    @Command(name = "create", description = "Make a token, print it once (stdout), and add its SHA-256 to the environment's list.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;

        @Option(names = "--env", required = true)
        String env;

        @Option(names = "--name", required = true, description = "Who or what holds it, e.g. ci or alice (1-64 of A-Z a-z 0-9 . - _ @)")
        String name;

        @Override
        public Integer call() {
            DeployCli cli = token.cli;
            try (AwsClients aws = cli.clients()) {
                EnvTokens.Created created = token.tokens(aws, env).create(name, DeployCli.actor(), Instant.now());
                token.record(aws, env, "token-create", name);
                // The token alone on stdout, so TOKEN=$(tally-deploy token create ...) works; the rest is for people.
                cli.spec.commandLine().getErr().println("token " + name + " for " + env + " (shown this once: keep it in"
                        + " a secret store). Running instances accept it within " + EnvTokens.PICKUP
                        + ". Send it as Authorization: Bearer TOKEN, or paste it into the sign-in page.");
                cli.spec.commandLine().getErr().flush();
                cli.emit(created, created.token());
            }
            return 0;
        }
    }

    @Command(name = "list", description = "The environment's tokens: names, when and by whom they were made (never the tokens).")
    static final class ListTokens implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;

        @Option(names = "--env", required = true)
        String env;

        @Override
        public Integer call() {
            DeployCli cli = token.cli;
            try (AwsClients aws = cli.clients()) {
                List<EnvTokens.Entry> entries = token.tokens(aws, env).list();
                cli.emit(entries, entries.isEmpty()
                        ? "no tokens for " + env + ": its instances refuse every write (tally-deploy token create)"
                        : entries.stream().map(e -> e.name() + "  sha256:" + e.sha256().substring(0, 12) + "...  created "
                                + e.created() + " by " + e.createdBy()).collect(Collectors.joining(System.lineSeparator())));
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Remove a token from the environment's list; running instances refuse it within seconds.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        TokenCommand token;

        @Option(names = "--env", required = true)
        String env;

        @Option(names = "--name", required = true)
        String name;

        @Override
        public Integer call() {
            DeployCli cli = token.cli;
            try (AwsClients aws = cli.clients()) {
                EnvTokens.Entry removed = token.tokens(aws, env).revoke(name);
                token.record(aws, env, "token-revoke", name);
                cli.emit(removed, "revoked token " + name + " of " + env + "; running instances refuse it within "
                        + EnvTokens.PICKUP + " (browser sessions signed in with it end at once)");
            }
            return 0;
        }
    }
}
