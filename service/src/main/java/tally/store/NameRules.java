package tally.store;

/**
 * What a dataset's name may be: at most {@link #MAX_LENGTH} characters (the form's limit), without
 * control characters (a name is one line of text) or the invisible characters that reorder text
 * (U+202E followed by {@code gnp.exe} shows as {@code exe.png}). The API and the form refuse other names
 * with this rule's words; the store enforces it too.
 */
public final class NameRules {
    /** Characters (code points), as the form's {@code maxlength} counts them. */
    public static final int MAX_LENGTH = 200;

    private NameRules() {
    }

    /** Why {@code name} cannot be used, in words for the person who sent it; null when it can (or is null). */
    public static String problem(String name) {
        if (name == null) {
            return null;
        }
        int length = name.codePointCount(0, name.length());
        if (length > MAX_LENGTH) {
            return "the name is " + length + " characters long: at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                return String.format("the name holds the control character U+%04X: send one line of text", c);
            }
            if (reordersText(c)) {
                return String.format("the name holds U+%04X, which changes the direction text is shown in: "
                        + "leave it out", c);
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /** The name cut to {@link #MAX_LENGTH} characters, with what the rule forbids dropped: for names taken from file names. */
    public static String fitted(String name) {
        StringBuilder kept = new StringBuilder();
        name.codePoints().filter(c -> Character.getType(c) != Character.CONTROL && !reordersText(c))
                .limit(MAX_LENGTH).forEach(kept::appendCodePoint);
        return kept.toString();
    }

    /** Throws {@link IllegalArgumentException} with {@link #problem}'s words. */
    static void check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** The bidirectional formatting characters (Unicode's Bidi_Control property). */
    private static boolean reordersText(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
