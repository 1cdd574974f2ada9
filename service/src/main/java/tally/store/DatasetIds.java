package tally.store;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Dataset ids: {@code [A-Za-z0-9_-]{1,64}}, safe as a directory name, an S3 key part and a URL segment. */
public final class DatasetIds {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private DatasetIds() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** A fresh id: 16 random base-36 characters (about 82 bits), so clashes are not a concern. */
    public static String newId() {
        char[] chars = new char[16];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
