package tally.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tally.cli.CommandArgs;
import tally.cli.CommandArgs.Command;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/**
 * One command of {@code tally-deploy}: its name, usage and options, and either what it does or its
 * subcommands ({@code token create|list|revoke}, {@code emr publish|run}). The declared options drive both
 * the parsing and the {@code --help} text.
 *
 * @param synopsis the usage after the command's path, as {@code --env ENV --version V [OPTIONS]}
 * @param action what the command does; null for a command that only holds subcommands
 */
record DeployCommand(String name, String synopsis, String description, List<Option> options, Action action,
        List<DeployCommand> subcommands) {
    /** The subcommand's name, after which its own arguments follow. */
    static final Option COMMAND = Option.command("COMMAND", "One of the commands below; COMMAND --help lists its options");

    /** What a command does with its parsed arguments; returns the exit code. */
    @FunctionalInterface
    interface Action {
        int run(DeployCli cli, CommandArgs args) throws UsageException, InterruptedException;
    }

    /**
     * A command that runs. It has {@code -h/--help} but not {@code -V/--version}: {@code --version} names the
     * release version in publish, release and emr.
     */
    static DeployCommand of(String name, String synopsis, String description, List<Option> options, Action action) {
        return new DeployCommand(name, synopsis, description, withHelp(options), action, List.of());
    }

    /** A command that holds subcommands: {@code NAME COMMAND [OPTIONS]}. */
    static DeployCommand group(String name, String description, List<DeployCommand> subcommands) {
        return new DeployCommand(name, "COMMAND [OPTIONS]", description, withHelp(List.of(COMMAND)), null, subcommands);
    }

    private static List<Option> withHelp(List<Option> options) {
        List<Option> all = new ArrayList<>(options);
        all.add(CommandArgs.HELP);
        return List.copyOf(all);
    }

    Optional<DeployCommand> subcommand(String wanted) {
        return subcommands.stream().filter(c -> c.name.equals(wanted)).findFirst();
    }

    /** The help text; {@code path} is how the command is called, as {@code tally-deploy emr run}. */
    String usage(String path) {
        String line = path + " " + synopsis;
        return subcommands.isEmpty() ? CommandArgs.usage(line, description, options)
                : CommandArgs.usage(line, description, options,
                        subcommands.stream().map(c -> new Command(c.name, c.description)).toList());
    }
}
