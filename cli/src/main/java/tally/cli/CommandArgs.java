package tally.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The parsed command line of {@code tally}, {@code tally-deploy} or one of their subcommands: {@code --name value} or
 * {@code --name=value}, flags, positional arguments, and {@code --} to end the options. Each command
 * declares its options once, as a list of {@link Option}; that list drives both the parsing and the
 * usage text, so the help cannot drift from what is accepted.
 *
 * <p>Why not picocli: building its model by reflection took 0.2-0.25 s in a fresh JVM, which every
 * {@code tally stats} run paid, and the server paid before its first /readyz.
 */
public final class CommandArgs {
    public static final Option HELP = Option.flag("-h", "--help", "Show this help message and exit");
    public static final Option VERSION = Option.flag("-V", "--version", "Print version information and exit");

    /** Where option descriptions start in the usage text; a wider option name puts its own on the next line. */
    private static final int OPTION_COLUMN = 29;
    /** Usage text wraps to fit a standard terminal. */
    private static final int WIDTH = 80;

    private final Map<String, String> env;
    /** Values by long option name or parameter label; "" for a flag. */
    private final Map<String, String> given;

    private CommandArgs(Map<String, String> env, Map<String, String> given) {
        this.env = env;
        this.given = given;
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
                byName.put(o.name(), o);
                if (o.shortName() != null) {
                    byName.put(o.shortName(), o);
                }
            }
        }
        Map<String, String> given = new HashMap<>();
        int positionals = 0;
        boolean optionsEnded = false;
        int i = 0;
        while (i < args.length) {
            String arg = args[i++];
            if (optionsEnded || "-".equals(arg) || !arg.startsWith("-")) {
                if (positionals == parameters.size()) {
                    throw new UsageException("unexpected argument: " + arg);
                }
                given.put(parameters.get(positionals).name(), arg);
                positionals++;
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
            if (given.put(o.name(), value) != null) {
                throw new UsageException("option " + o.name() + " given more than once");
            }
        }
        return new CommandArgs(env, given);
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
        return given.containsKey(flag.name());
    }

    /** The given value, else the environment variable if set and not empty, else the default; null if none. */
    public String string(Option o) {
        String value = given.get(o.name());
        if (value != null) {
            return value;
        }
        if (o.env() != null) {
            String fromEnv = env.get(o.env());
            if (fromEnv != null && !fromEnv.isEmpty()) {
                return fromEnv;
            }
        }
        return o.defaultValue();
    }

    public int intValue(Option o) throws UsageException {
        return number(o, Integer::parseInt, "a whole number");
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
        String value = text.trim().toUpperCase(java.util.Locale.ROOT);
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
        if (given.containsKey(o.name())) {
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
     */
    public record Option(String shortName, String name, String label, String description, String env,
            String defaultValue) {

        public static Option flag(String shortName, String name, String description) {
            return new Option(shortName, name, null, description, null, null);
        }

        public static Option value(String name, String label, String description) {
            return new Option(null, name, label, description, null, null);
        }

        public static Option parameter(String label, String description) {
            return new Option(null, label, null, description, null, null);
        }

        public Option withEnv(String variable) {
            return new Option(shortName, name, label, description, variable, defaultValue);
        }

        public Option withDefault(Object value) {
            return new Option(shortName, name, label, description, env, String.valueOf(value));
        }

        boolean isParameter() {
            return !name.startsWith("-");
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
