package tally.server;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM blocks (RFC 7468): {@code -----BEGIN LABEL-----}, base64, {@code -----END LABEL-----}. */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);

    private Pem() {
    }

    static boolean has(String pem, String label) {
        return pem.contains("-----BEGIN " + label + "-----");
    }

    /** The first block labelled {@code label}, decoded. */
    static byte[] block(String pem, String label, String source) {
        List<byte[]> blocks = blocks(pem, label, source);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException(source + " has no PEM block " + label);
        }
        return blocks.get(0);
    }

    /** Every block labelled {@code label}, in order, decoded. */
    static List<byte[]> blocks(String pem, String label, String source) {
        List<byte[]> found = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            if (matcher.group(1).equals(label)) {
                try {
                    found.add(Base64.getMimeDecoder().decode(matcher.group(2)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": a " + label + " block is not valid base64", e);
                }
            }
        }
        return found;
    }
}
