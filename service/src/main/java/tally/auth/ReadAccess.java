package tally.auth;

import java.util.Locale;

/** {@code --read-access}: whether reading datasets needs a token too (writes always do, once tokens exist). */
public enum ReadAccess {
    /** Anyone who reaches the server may list and read datasets and watch progress. */
    PUBLIC,
    /** Only callers with a token or a session; the probes, /version and the sign-in page stay open. */
    TOKEN;

    public static ReadAccess parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("read access is public or token, got " + value, e);
        }
    }

    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }
}
