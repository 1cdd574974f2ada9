package tally.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The parsed command line of {@code tally}, {@code tally-deploy} or one of their subcommands:
 * {@code --name value} or {@code --name=value}, flags, positional arguments, and {@code --} to end the
 * options. Each command declares its options once, as a list of {@link Option}; that list drives both the
 * parsing and the usage text, so the help cannot drift from what is accepted. A command with subcommands
 * declares a {@link Option#command} parameter: its options come before the subcommand's name, and
 * {@link #rest} holds what follows for the subcommand to parse.
 *
 * <p>Why not picocli: building its model by reflection took 0.2-0.25 s in a fresh JVM, which every
 * {@code tally stats} run paid, and the server paid before its first /readyz.
 */
public final class CommandArgs {
    public static final Option HELP = Option.flag("-h", "--help", "Show this help message and exit");
    public static final Option VERSION = Option.flag("-V", "--version", "Print version information and exit");

    /** Where option descriptions start in the usage text; a wider option name puts its own on the next line. */
    private static final int OPTION_COLUMN = 29;
    /** Subcommand names are short: their descriptions line up right after them. */
    private static final int COMMAND_COLUMN = 12;
    /** Usage text wraps to fit a standard terminal. */
    private static final int WIDTH = 80;

    private final Map<String, String> env;
    /**
     * Values by declared option, in the order given; "" for a flag. By option, not by name: a command's
     * own {@code --version V} is not {@link #VERSION}.
     */
    private final Map<Option, List<String>> given;
    /** What follows a command parameter: the subcommand's own arguments. */
    private final List<String> rest;

    private CommandArgs(Map<String, String> env, Map<Option, List<String>> given, List<String> rest) {
        this.env = env;
        this.given = given;
        this.rest = rest;
    }

    /**
     * Reads {@code args} against the declared options and positional parameters. Values are not
     * converted yet: {@code --help} must work even when the rest of the line would not.
     */
    public static CommandArgs parse(List<Option> declared, Map<String, String> env, String... args) throws UsageException {
        Map<String, Option> byName = new HashMap<>();
        List<Option> parameters = new ArrayList<>();
        for (Option o : declared) {
            if (o.isParameter()) {
                parameters.add(o);
            } else {
                declare(byName, o.name(), o);
                if (o.shortName() != null) {
                    declare(byName, o.shortName(), o);
                }
            }
        }
        Map<Option, List<String>> given = new HashMap<>();
        int positionals = 0;
        boolean optionsEnded = false;
        int i = 0;
        while (i < args.length) {
            String arg = args[i++];
            if (optionsEnded || "-".equals(arg) || !arg.startsWith("-")) {
                if (positionals == parameters.size()) {
                    throw new UsageException("unexpected argument: " + arg);
                }
                Option parameter = parameters.get(positionals++);
                given.put(parameter, List.of(arg));
                if (parameter.isCommand()) {
                    return new CommandArgs(env, given, List.of(args).subList(i, args.length));
                }
                continue;
            }
            if ("--".equals(arg)) {
                optionsEnded = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            Option o = byName.get(name);
            if (o == null) {
                throw new UsageException("unknown option: " + name);
            }
            String value;
            if (!o.takesValue()) {
                if (eq >= 0) {
                    throw new UsageException("option " + o.name() + " takes no value");
                }
                value = "";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i < args.length && !isOption(byName, args[i])) {
                value = args[i++];
            } else {
                throw new UsageException("option " + o.name() + " needs a value (" + o.label() + ")");
            }
            List<String> values = given.computeIfAbsent(o, n -> new ArrayList<>());
            if (!values.isEmpty() && !o.many()) {
                throw new UsageException("option " + o.name() + " given more than once");
            }
            values.add(value);
        }
        return new CommandArgs(env, given, List.of());
    }

    /** A command's own option must not hide another, as a release's --version V would hide -V/--version. */
    private static void declare(Map<String, Option> byName, String name, Option o) {
        if (byName.put(name, o) != null) {
            throw new IllegalArgumentException("option " + name + " is declared twice");
        }
    }

    /**
     * Only a known option counts as "the value is missing": {@code --out -} and {@code --seed -5} are
     * values, and a file really named like an option can still be given as {@code --out=--name}.
     */
    private static boolean isOption(Map<String, Option> byName, String arg) {
        int eq = arg.indexOf('=');
        return byName.containsKey(eq < 0 ? arg : arg.substring(0, eq));
    }

    public boolean has(Option flag) {
        return given.containsKey(flag);
    }

    /**
     * The arguments after a {@link Option#command} parameter, for the subcommand to parse; empty when the
     * command was not given or none follow it.
     */
    public String[] rest() {
        return rest.toArray(String[]::new);
    }

    /** The given value, else the environment variable if set and not empty, else the default; null if none. */
    public String string(Option o) {
        List<String> values = given.get(o);
        if (values != null) {
            return values.get(0);
        }
        if (o.env() != null) {
            String fromEnv = env.get(o.env());
            if (fromEnv != null && !fromEnv.isEmpty()) {
                return fromEnv;
            }
        }
        return o.defaultValue();
    }

    /**
     * Every value of a {@link Option#repeatable repeatable} option in the order given; else the environment
     * variable or the default as the one value; else none.
     */
    public List<String> strings(Option o) {
        List<String> values = given.get(o);
        if (values != null) {
            return List.copyOf(values);
        }
        String single = string(o);
        return single == null ? List.of() : List.of(single);
    }

    public int intValue(Option o) throws UsageException {
        return number(o, Integer::parseInt, "a whole number");
    }

    /** One of the {@code allowed} words, as {@code --read-access public|token}; any other is a usage error. */
    public String oneOf(Option o, String... allowed) throws UsageException {
        String text = required(o);
        if (List.of(allowed).contains(text)) {
            return text;
        }
        String last = allowed[allowed.length - 1];
        String choices = allowed.length == 1 ? last
                : String.join(", ", List.of(allowed).subList(0, allowed.length - 1)) + " or " + last;
        throw invalid(o, text, choices, null);
    }

    /** A whole number from {@code min} to {@code max}, both included; out of range is a usage error. */
    public int intValue(Option o, int min, int max) throws UsageException {
        int value = intValue(o);
        if (value < min || value > max) {
            throw invalid(o, required(o), max == Integer.MAX_VALUE ? "a whole number of at least " + min
                    : "a whole number from " + min + " to " + max, null);
        }
        return value;
    }

    /** A duration: {@code 200ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 90d}, or ISO-8601 ({@code PT30S}, {@code P1D}). */
    public Duration duration(Option o) throws UsageException {
        String text = required(o);
        try {
            return parseDuration(text);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw invalid(o, text, "a duration such as 200ms, 30s, 5m, 1h, 90d or PT30S", e);
        }
    }

    /**
     * Accepts 200ms, 30s, 5m, 1h, 90d or an ISO-8601 duration (PT30S, PT5M, P1D).
     *
     * @throws DateTimeParseException or NumberFormatException when the text is neither
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p") || t.startsWith("-p")) {
            // ISO-8601 before the suffixes: "PT30S" ends with an s too.
            return Duration.parse(text.trim());
        }
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("d")) {
            return Duration.ofDays(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.parse(text);
    }

    public long longValue(Option o) throws UsageException {
        return number(o, Long::parseLong, "a whole number");
    }

    /** A number of bytes: digits with an optional K, M or G suffix (powers of 1024, as {@code 10M}). */
    public long bytes(Option o) throws UsageException {
        String text = required(o);
        try {
            return parseBytes(text);
        } catch (IllegalArgumentException e) {
            throw invalid(o, text, "a number of bytes, with an optional K, M or G suffix", e);
        }
    }

    /** {@code 200M} is 200 MiB; a plain number is bytes. */
    public static long parseBytes(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            value = value.substring(0, value.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(value), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a number of bytes with an optional K, M or G suffix: " + text, e);
        }
    }

    public double doubleValue(Option o) throws UsageException {
        return number(o, Double::parseDouble, "a number");
    }

    private <T> T number(Option o, Function<String, T> parse, String what) throws UsageException {
        String text = required(o);
        try {
            return parse.apply(text);
        } catch (NumberFormatException e) {
            throw invalid(o, text, what, e);
        }
    }

    /** Null when the option has no value and no default. */
    public Path path(Option o) throws UsageException {
        String text = string(o);
        if (text == null) {
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw invalid(o, text, "a path", e);
        }
    }

    /** Null when the option has no value and no default; an absolute http(s) URL otherwise. */
    public URI uri(Option o) throws UsageException {
        String text = string(o);
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            throw invalid(o, text, "a URL", e);
        }
        throw invalid(o, text, "an http:// or https:// URL", null);
    }

    /** Like {@link #string}, but a missing value is a usage error (positional parameters are required). */
    public String required(Option o) throws UsageException {
        String text = string(o);
        if (text == null) {
            throw new UsageException(o.isParameter() ? "missing " + o.name()
                    : "option " + o.name() + " needs a value (" + o.label() + ")");
        }
        return text;
    }

    /** Names where the bad value came from, so a stray environment variable is easy to find. */
    private UsageException invalid(Option o, String text, String expected, Exception cause) {
        String source;
        if (given.containsKey(o)) {
            source = o.name();
        } else if (o.env() != null && text.equals(env.get(o.env()))) {
            source = o.name() + " (from " + o.env() + ")";
        } else {
            source = o.name() + " (default)";
        }
        return new UsageException("invalid value for " + source + ": '" + text + "' is not " + expected, cause);
    }

    /** "Usage: SYNOPSIS", the description, then one row per option (wrapped at 80 columns). */
    public static String usage(String synopsis, String description, List<Option> options) {
        StringBuilder b = new StringBuilder("Usage: ").append(synopsis).append('\n');
        row(b, "", description, 0);
        for (Option o : options) {
            row(b, o.left(), o.help(), OPTION_COLUMN);
        }
        return b.toString();
    }

    /** The usage of a command with subcommands: the options, then "Commands:" and one row per subcommand. */
    public static String usage(String synopsis, String description, List<Option> options, List<Command> commands) {
        StringBuilder b = new StringBuilder(usage(synopsis, description, options)).append("Commands:\n");
        for (Command c : commands) {
            row(b, "  " + c.name(), c.description(), COMMAND_COLUMN);
        }
        return b.toString();
    }

    /**
     * Answers {@code --help} (the usage) or {@code --version} (one line, as {@code tally 0.1.0 (3f2a9c1)})
     * on {@code out} and returns true; false when neither was asked for, and the command goes on. The
     * version comes from the caller, which knows where its build stamped it.
     */
    public boolean answeredHelpOrVersion(OutputStream out, Supplier<String> usage, Supplier<String> version) {
        if (has(HELP)) {
            print(out, usage.get());
            return true;
        }
        if (has(VERSION)) {
            print(out, version.get() + "\n");
            return true;
        }
        return false;
    }

    /** The same, on a writer (flushed). */
    public boolean answeredHelpOrVersion(PrintWriter out, Supplier<String> usage, Supplier<String> version) {
        String text = has(HELP) ? usage.get() : has(VERSION) ? version.get() + "\n" : null;
        if (text == null) {
            return false;
        }
        out.print(text);
        out.flush();
        return true;
    }

    /** Help or version text on standard output. */
    static void print(OutputStream out, String text) {
        try {
            out.write(text.getBytes(UTF_8));
            out.flush();
        } catch (IOException e) {
            // As with System.out: help into a closed pipe ({@code tally --help | head -1}) is no failure.
        }
    }

    /** {@code left}, then {@code text} from {@code column} on, word-wrapped; on the next line if left is too wide. */
    public static void row(StringBuilder b, String left, String text, int column) {
        b.append(left);
        int at = left.length();
        if (at > 0 && at + 2 > column) {
            b.append('\n');
            at = 0;
        }
        for (String word : text.split(" ")) {
            if (at > column && at + 1 + word.length() > WIDTH) {
                b.append('\n');
                at = 0;
            }
            if (at < column || at == 0) {
                b.append(" ".repeat(column - at));
                at = column;
            } else {
                b.append(' ');
                at++;
            }
            b.append(word);
            at += word.length();
        }
        b.append('\n');
    }

    /**
     * One option or positional parameter as declared by a command. A name starting with '-' is an
     * option, taking a value when it has a label; any other name is a positional parameter.
     *
     * @param shortName one-letter alias such as {@code -h}, or null
     * @param name the long name ({@code --out}), or the parameter's label ({@code FILE})
     * @param label what the value is called in the usage text ({@code FILE}, {@code N}); null for a flag
     * @param description one sentence without the final period; env and default are appended
     * @param env the environment variable read when the option is not given, or null
     * @param defaultValue the value when neither is given, or null
     * @param many an option that may be given more than once, each value kept ({@link #strings}); a
     *     parameter that takes the rest of the line: it names a subcommand, and what follows is the
     *     subcommand's ({@link #rest})
     */
    public record Option(String shortName, String name, String label, String description, String env,
            String defaultValue, boolean many) {

        public static Option flag(String shortName, String name, String description) {
            return new Option(shortName, name, null, description, null, null, false);
        }

        public static Option value(String name, String label, String description) {
            return new Option(null, name, label, description, null, null, false);
        }

        public static Option parameter(String label, String description) {
            return new Option(null, label, null, description, null, null, false);
        }

        /** The positional parameter naming a subcommand: the arguments after it are the subcommand's. */
        public static Option command(String label, String description) {
            return new Option(null, label, null, description, null, null, true);
        }

        public Option withEnv(String variable) {
            return new Option(shortName, name, label, description, variable, defaultValue, many);
        }

        public Option withDefault(Object value) {
            return new Option(shortName, name, label, description, env, String.valueOf(value), many);
        }

        /** An option that may be given more than once ({@code --conf A=1 --conf B=2}); read with {@link #strings}. */
        public Option repeatable() {
            return new Option(shortName, name, label, description, env, defaultValue, true);
        }

        boolean isParameter() {
            return !name.startsWith("-");
        }

        boolean isCommand() {
            return isParameter() && many;
        }

        boolean takesValue() {
            return label != null;
        }

        String left() {
            String names = shortName == null ? "      " + name : "  " + shortName + ", " + name;
            return takesValue() ? names + "=" + label : names;
        }

        String help() {
            String source = env == null ? "" : "env " + env;
            if (defaultValue != null) {
                source += (source.isEmpty() ? "" : "; ") + "default: " + defaultValue;
            }
            return source.isEmpty() ? description + "." : description + " (" + source + ").";
        }
    }

    /** A subcommand as its parent's usage lists it. */
    public record Command(String name, String description) {
    }

    /** A command line that cannot be run: exit 2, the message, then the command's usage. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }

        public UsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
