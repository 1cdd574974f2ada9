package tally.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tally.cli.CommandArgs.Command;
import tally.cli.CommandArgs.Option;
import tally.cli.CommandArgs.UsageException;

/** The parser and the usage text on a small declared command, independent of Tally's own options. */
@Tag("unit")
class CommandArgsTest {
    private static final Option FILE = Option.parameter("FILE", "What to read");
    private static final Option OUT = Option.value("--out", "FILE", "Where to write").withDefault("-");
    private static final Option COUNT = Option.value("--count", "N", "How many").withEnv("T_COUNT").withDefault(3);
    private static final Option SIZE = Option.value("--size", "BYTES", "How big").withEnv("T_SIZE");
    private static final Option RATE = Option.value("--rate", "RATE", "How often").withDefault(0.5);
    private static final Option DIR = Option.value("--dir", "DIR", "Where to spill");
    private static final Option HEADER = Option.flag(null, "--header", "Write a header");
    private static final List<Option> OPTIONS =
            List.of(FILE, OUT, COUNT, SIZE, RATE, DIR, HEADER, CommandArgs.HELP, CommandArgs.VERSION);

    private static CommandArgs parse(String... args) throws UsageException {
        return CommandArgs.parse(OPTIONS, Map.of(), args);
    }

    @Test
    void a_value_may_follow_its_option_or_be_joined_to_it_with_an_equals_sign() throws UsageException {
        CommandArgs spaced = parse("in.jsonl", "--out", "rows.tsv", "--count", "7");
        CommandArgs joined = parse("--out=rows.tsv", "--count=7", "in.jsonl");

        for (CommandArgs cli : List.of(spaced, joined)) {
            assertThat(cli.required(FILE)).isEqualTo("in.jsonl");
            assertThat(cli.string(OUT)).isEqualTo("rows.tsv");
            assertThat(cli.intValue(COUNT)).isEqualTo(7);
        }
    }

    @Test
    void only_the_first_equals_sign_separates_the_name_and_an_empty_value_is_a_value() throws UsageException {
        assertThat(parse("--out=a=b").string(OUT)).isEqualTo("a=b");
        assertThat(parse("--out=").string(OUT)).isEmpty();
    }

    @Test
    void a_dash_and_a_negative_number_are_values_not_options() throws UsageException {
        CommandArgs cli = parse("-", "--out", "-", "--count", "-5");

        assertThat(cli.required(FILE)).isEqualTo("-");
        assertThat(cli.string(OUT)).isEqualTo("-");
        assertThat(cli.intValue(COUNT)).isEqualTo(-5);
    }

    @Test
    void flags_are_present_or_absent_and_short_names_are_aliases() throws UsageException {
        CommandArgs cli = parse("--header", "-h");

        assertThat(cli.has(HEADER)).isTrue();
        assertThat(cli.has(CommandArgs.HELP)).isTrue();
        assertThat(cli.has(CommandArgs.VERSION)).isFalse();
    }

    @Test
    void an_unknown_option_is_named() {
        assertThatThrownBy(() -> parse("--colour", "red")).isInstanceOf(UsageException.class)
                .hasMessage("unknown option: --colour");
        assertThatThrownBy(() -> parse("--colour=red")).hasMessage("unknown option: --colour");
        assertThatThrownBy(() -> parse("-x")).hasMessage("unknown option: -x");
    }

    @Test
    void an_option_at_the_end_or_followed_by_another_option_is_missing_its_value() {
        assertThatThrownBy(() -> parse("in.jsonl", "--out")).isInstanceOf(UsageException.class)
                .hasMessage("option --out needs a value (FILE)");
        assertThatThrownBy(() -> parse("--out", "--header", "in.jsonl"))
                .hasMessage("option --out needs a value (FILE)");
        assertThatThrownBy(() -> parse("--out", "--count=2", "in.jsonl"))
                .hasMessage("option --out needs a value (FILE)");
    }

    @Test
    void a_value_that_only_looks_like_an_option_is_a_value() throws UsageException {
        assertThat(parse("--out", "--not-an-option").string(OUT)).isEqualTo("--not-an-option");
        assertThat(parse("--out=--header").string(OUT)).isEqualTo("--header");
    }

    @Test
    void a_flag_takes_no_value() {
        assertThatThrownBy(() -> parse("--header=yes")).isInstanceOf(UsageException.class)
                .hasMessage("option --header takes no value");
    }

    @Test
    void an_option_given_twice_is_refused_rather_than_one_value_silently_winning() {
        assertThatThrownBy(() -> parse("--out", "a", "--out=b")).isInstanceOf(UsageException.class)
                .hasMessage("option --out given more than once");
    }

    @Test
    void a_bad_number_names_the_option_and_the_value() throws UsageException {
        CommandArgs cli = parse("--count", "seven", "--rate", "often", "--size", "99999999999999999999");

        assertThatThrownBy(() -> cli.intValue(COUNT)).isInstanceOf(UsageException.class)
                .hasMessage("invalid value for --count: 'seven' is not a whole number");
        assertThatThrownBy(() -> cli.doubleValue(RATE))
                .hasMessage("invalid value for --rate: 'often' is not a number");
        assertThatThrownBy(() -> cli.longValue(SIZE))
                .hasMessage("invalid value for --size: '99999999999999999999' is not a whole number");
    }

    @Test
    void a_path_with_a_nul_character_is_a_usage_error() throws UsageException {
        CommandArgs cli = parse("--dir", "a\0b");

        assertThatThrownBy(() -> cli.path(DIR)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("invalid value for --dir: ");
    }

    @Test
    void double_dash_ends_the_options_so_a_file_may_start_with_a_dash() throws UsageException {
        CommandArgs cli = parse("--header", "--", "--out");

        assertThat(cli.required(FILE)).isEqualTo("--out");
        assertThat(cli.has(HEADER)).isTrue();
        assertThat(cli.string(OUT)).isEqualTo("-");
    }

    @Test
    void a_missing_or_extra_positional_argument_is_named() throws UsageException {
        CommandArgs none = parse("--header");

        assertThatThrownBy(() -> none.required(FILE)).isInstanceOf(UsageException.class).hasMessage("missing FILE");
        assertThatThrownBy(() -> parse("a.jsonl", "b.jsonl")).hasMessage("unexpected argument: b.jsonl");
        assertThatThrownBy(() -> parse("--", "a.jsonl", "-x")).hasMessage("unexpected argument: -x");
    }

    @Test
    void a_value_comes_from_the_flag_else_the_environment_else_the_default() throws UsageException {
        Map<String, String> env = Map.of("T_COUNT", "5", "T_SIZE", "2048");

        assertThat(CommandArgs.parse(OPTIONS, env, "--count", "9").intValue(COUNT)).isEqualTo(9);
        assertThat(CommandArgs.parse(OPTIONS, env).intValue(COUNT)).isEqualTo(5);
        assertThat(CommandArgs.parse(OPTIONS, env).longValue(SIZE)).isEqualTo(2048);
        assertThat(CommandArgs.parse(OPTIONS, Map.of()).intValue(COUNT)).isEqualTo(3);
        assertThat(CommandArgs.parse(OPTIONS, Map.of()).string(SIZE)).isNull();
        assertThat(CommandArgs.parse(OPTIONS, Map.of()).path(DIR)).isNull();
    }

    @Test
    void an_empty_environment_variable_counts_as_unset() throws UsageException {
        assertThat(CommandArgs.parse(OPTIONS, Map.of("T_COUNT", "")).intValue(COUNT)).isEqualTo(3);
    }

    @Test
    void a_bad_environment_value_names_the_variable_it_came_from() throws UsageException {
        CommandArgs cli = CommandArgs.parse(OPTIONS, Map.of("T_COUNT", "lots"));

        assertThatThrownBy(() -> cli.intValue(COUNT)).isInstanceOf(UsageException.class)
                .hasMessage("invalid value for --count (from T_COUNT): 'lots' is not a whole number");
    }

    @Test
    void a_number_required_without_a_value_or_default_is_a_usage_error() throws UsageException {
        CommandArgs cli = parse();

        assertThatThrownBy(() -> cli.longValue(SIZE)).isInstanceOf(UsageException.class)
                .hasMessage("option --size needs a value (BYTES)");
    }

    @Test
    void the_usage_lists_every_declared_option_with_its_environment_variable_and_default() {
        String usage = CommandArgs.usage("t [OPTIONS] FILE", "Test the parser.", OPTIONS);

        assertThat(usage).startsWith("Usage: t [OPTIONS] FILE\nTest the parser.\n").contains(
                "      FILE                   What to read.\n",
                "      --out=FILE             Where to write (default: -).\n",
                "      --count=N              How many (env T_COUNT; default: 3).\n",
                "      --size=BYTES           How big (env T_SIZE).\n",
                "      --dir=DIR              Where to spill.\n",
                "      --header               Write a header.\n",
                "  -h, --help                 Show this help message and exit.\n",
                "  -V, --version              Print version information and exit.\n");
    }

    @Test
    void long_descriptions_wrap_under_their_column_and_long_names_get_their_own_line() {
        Option wordy = Option.value("--a-rather-long-option-name", "VALUE",
                "A description long enough that it cannot fit on one line of eighty columns, so it wraps");
        String usage = CommandArgs.usage("t", "Short.", List.of(wordy));

        assertThat(usage).isEqualTo("Usage: t\nShort.\n"
                + "      --a-rather-long-option-name=VALUE\n"
                + "                             A description long enough that it cannot fit on one\n"
                + "                             line of eighty columns, so it wraps.\n");
    }

    private static final Option JSON = Option.flag(null, "--json", "Print JSON");
    private static final Option COMMAND = Option.command("COMMAND", "What to run");
    private static final List<Option> ROOT = List.of(JSON, OUT, COMMAND, CommandArgs.HELP);

    @Test
    void a_command_ends_the_parents_options_and_leaves_what_follows_to_the_subcommand() throws UsageException {
        CommandArgs cli = CommandArgs.parse(ROOT, Map.of(), "--json", "--out=x", "release", "--env", "E", "--json", "-h");

        assertThat(cli.has(JSON)).isTrue();
        assertThat(cli.string(OUT)).isEqualTo("x");
        assertThat(cli.has(CommandArgs.HELP)).isFalse();
        assertThat(cli.string(COMMAND)).isEqualTo("release");
        assertThat(cli.rest()).containsExactly("--env", "E", "--json", "-h");
    }

    @Test
    void without_a_command_nothing_is_left_over_and_an_unknown_option_before_it_is_still_refused() throws UsageException {
        CommandArgs none = CommandArgs.parse(ROOT, Map.of(), "--json");

        assertThat(none.string(COMMAND)).isNull();
        assertThat(none.rest()).isEmpty();
        assertThat(CommandArgs.parse(ROOT, Map.of(), "status").rest()).isEmpty();
        assertThatThrownBy(() -> CommandArgs.parse(ROOT, Map.of(), "--env", "E", "status"))
                .isInstanceOf(UsageException.class).hasMessage("unknown option: --env");
    }

    @Test
    void a_repeatable_option_keeps_every_value_in_the_order_given() throws UsageException {
        Option conf = Option.value("--conf", "KEY=VALUE", "A setting").repeatable();
        List<Option> options = List.of(conf, OUT);

        assertThat(CommandArgs.parse(options, Map.of(), "--conf", "a=1", "--out", "o", "--conf=b=2").strings(conf))
                .containsExactly("a=1", "b=2");
        assertThat(CommandArgs.parse(options, Map.of()).strings(conf)).isEmpty();
        assertThat(CommandArgs.parse(options, Map.of()).strings(OUT)).containsExactly("-");
        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of(), "--out", "a", "--out", "b"))
                .hasMessage("option --out given more than once");
    }

    @Test
    void a_duration_is_a_number_with_a_unit_or_iso_8601() throws UsageException {
        Option wait = Option.value("--wait", "DURATION", "How long").withEnv("T_WAIT").withDefault("5m");
        List<Option> options = List.of(wait);

        assertThat(CommandArgs.parse(options, Map.of()).duration(wait)).isEqualTo(Duration.ofMinutes(5));
        assertThat(CommandArgs.parse(options, Map.of("T_WAIT", "PT30S")).duration(wait)).isEqualTo(Duration.ofSeconds(30));
        assertThat(CommandArgs.parse(options, Map.of("T_WAIT", "PT30S"), "--wait", "200ms").duration(wait))
                .isEqualTo(Duration.ofMillis(200));
        assertThat(CommandArgs.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(CommandArgs.parseDuration("P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(CommandArgs.parseDuration("90d")).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void a_bad_duration_names_the_option_the_value_and_the_forms_accepted() throws UsageException {
        Option wait = Option.value("--wait", "DURATION", "How long").withEnv("T_WAIT");
        List<Option> options = List.of(wait);

        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of(), "--wait", "soon").duration(wait))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid value for --wait: 'soon' is not a duration such as 200ms, 30s, 5m, 1h, 90d or PT30S");
        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of("T_WAIT", "5xs")).duration(wait))
                .hasMessageStartingWith("invalid value for --wait (from T_WAIT): '5xs' is not a duration");
        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of()).duration(wait))
                .hasMessage("option --wait needs a value (DURATION)");
    }

    @Test
    void a_whole_number_out_of_its_range_is_a_usage_error_that_gives_the_range() throws UsageException {
        assertThat(parse("--count", "1").intValue(COUNT, 1, 20)).isEqualTo(1);
        assertThat(parse("--count", "20").intValue(COUNT, 1, 20)).isEqualTo(20);
        assertThatThrownBy(() -> parse("--count", "21").intValue(COUNT, 1, 20)).isInstanceOf(UsageException.class)
                .hasMessage("invalid value for --count: '21' is not a whole number from 1 to 20");
        assertThatThrownBy(() -> parse("--count", "0").intValue(COUNT, 1, Integer.MAX_VALUE))
                .hasMessage("invalid value for --count: '0' is not a whole number of at least 1");
        assertThatThrownBy(() -> parse("--count", "x").intValue(COUNT, 1, 20))
                .hasMessage("invalid value for --count: 'x' is not a whole number");
    }

    @Test
    void the_usage_of_a_command_with_subcommands_lists_them_after_the_options() {
        String usage = CommandArgs.usage("t [OPTIONS] COMMAND", "Test.", List.of(JSON),
                List.of(new Command("status", "Say how it is"), new Command("a-long-command", "Its own line")));

        assertThat(usage).isEqualTo("Usage: t [OPTIONS] COMMAND\nTest.\n"
                + "      --json                 Print JSON.\n"
                + "Commands:\n"
                + "  status    Say how it is\n"
                + "  a-long-command\n"
                + "            Its own line\n");
    }

    @Test
    void help_and_version_are_answered_on_a_writer_too() throws UsageException {
        StringWriter help = new StringWriter();
        StringWriter version = new StringWriter();
        StringWriter neither = new StringWriter();

        assertThat(parse("--help").answeredHelpOrVersion(new PrintWriter(help), () -> "Usage: t\n", () -> "t 1.0")).isTrue();
        assertThat(parse("-V").answeredHelpOrVersion(new PrintWriter(version), () -> "Usage: t\n", () -> "t 1.0")).isTrue();
        assertThat(parse().answeredHelpOrVersion(new PrintWriter(neither), () -> "Usage: t\n", () -> "t 1.0")).isFalse();
        assertThat(help).hasToString("Usage: t\n");
        assertThat(version).hasToString("t 1.0\n");
        assertThat(neither).hasToString("");
    }

    @Test
    void a_value_from_a_fixed_set_names_the_words_allowed() throws UsageException {
        Option access = Option.value("--read-access", "public|token", "Who may read").withDefault("public");
        Option action = Option.parameter("ACTION", "What to plan");
        List<Option> options = List.of(access, action);

        assertThat(CommandArgs.parse(options, Map.of()).oneOf(access, "public", "token")).isEqualTo("public");
        assertThat(CommandArgs.parse(options, Map.of(), "--read-access=token").oneOf(access, "public", "token")).isEqualTo("token");
        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of(), "--read-access", "all").oneOf(access, "public", "token"))
                .isInstanceOf(UsageException.class).hasMessage("invalid value for --read-access: 'all' is not public or token");
        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of(), "deploy").oneOf(action, "release", "rollback", "teardown"))
                .hasMessage("invalid value for ACTION: 'deploy' is not release, rollback or teardown");
        assertThatThrownBy(() -> CommandArgs.parse(options, Map.of()).oneOf(action, "release")).hasMessage("missing ACTION");
    }

    @Test
    void a_commands_own_version_option_is_not_the_version_flag() throws UsageException {
        Option releaseVersion = Option.value("--version", "V", "The release");
        CommandArgs cli = CommandArgs.parse(List.of(releaseVersion, CommandArgs.HELP), Map.of(), "--version", "1.2.0");

        assertThat(cli.has(CommandArgs.VERSION)).isFalse();
        assertThat(cli.string(releaseVersion)).isEqualTo("1.2.0");
    }

    @Test
    void an_option_name_declared_twice_is_a_mistake_in_the_command_not_the_command_line() {
        Option releaseVersion = Option.value("--version", "V", "The release");

        assertThatThrownBy(() -> CommandArgs.parse(List.of(releaseVersion, CommandArgs.VERSION), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("option --version is declared twice");
    }
}
