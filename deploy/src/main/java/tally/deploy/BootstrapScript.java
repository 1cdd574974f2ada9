package tally.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Renders the instance user-data from {@code bootstrap.sh.template}. Every value is inserted as a
 * single-quoted bash word, so a URL's {@code &} or {@code $} cannot be interpreted by the shell.
 */
public final class BootstrapScript {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** EC2 refuses user-data over 16 KiB (before base64). */
    static final int MAX_USER_DATA = 16 * 1024;

    private BootstrapScript() {
    }

    /** Where the service reads its certificate and key: {@code s3://BUCKET/KEY} each ({@link EnvTls}). */
    public record Tls(String cert, String key) {
    }

    /** The user-data of one release on plain HTTP. */
    public static String render(String version, String jarUrl, String sha256, int port, String store, String tokens,
                                String readAccess) {
        return render(version, jarUrl, sha256, port, store, tokens, readAccess, null);
    }

    /**
     * The user-data of one release: the service keeps its datasets in {@code store} ({@code s3://...}), takes
     * the write tokens listed in {@code tokens} ({@code s3://BUCKET/KEY}, polled), answers reads to
     * anyone or to token holders only ({@code readAccess} public or token), and serves HTTPS with the
     * certificate and key of {@code tls}, read at start (null: plain HTTP).
     */
    public static String render(String version, String jarUrl, String sha256, int port, String store, String tokens,
                                String readAccess, Tls tls) {
        ReleaseStore.checkVersion(version);
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        if (!isS3Word(store)) {
            throw new IllegalArgumentException("not a store location: " + store);
        }
        if (!isS3Word(tokens)) {
            throw new IllegalArgumentException("not a token list location: " + tokens);
        }
        if (tls != null && (!isS3Word(tls.cert()) || !isS3Word(tls.key()))) {
            throw new IllegalArgumentException("not a certificate or key location: " + tls);
        }
        if (!readAccess.equals("public") && !readAccess.equals("token")) {
            throw new IllegalArgumentException("read access is public or token, not " + readAccess);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String script = template()
                .replace("@VERSION_QUOTED@", quote(version))
                .replace("@JAR_URL_QUOTED@", quote(jarUrl))
                .replace("@JAR_SHA256_QUOTED@", quote(sha256))
                .replace("@STORE_QUOTED@", quote(store))
                .replace("@TOKENS_QUOTED@", quote(tokens))
                .replace("@TLS_CERT_QUOTED@", quote(tls == null ? "" : tls.cert()))
                .replace("@TLS_KEY_QUOTED@", quote(tls == null ? "" : tls.key()))
                .replace("@READ_ACCESS@", readAccess)
                .replace("@VERSION@", version)
                .replace("@PORT@", Integer.toString(port))
                .replace("@LAUNCHER@", launcher());
        if (script.getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA) {
            throw new DeployException("bootstrap script is over EC2's 16 KiB user-data limit");
        }
        return script;
    }

    /** An s3:// location that the unit file can carry unquoted: no blanks, quotes or backslashes. */
    private static boolean isS3Word(String location) {
        return location.startsWith("s3://")
                && location.chars().noneMatch(c -> c <= ' ' || c == '\'' || c == '"' || c == '\\' || c == '$');
    }

    /** {@code it's} becomes {@code 'it'\''s'}. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String template() {
        return resource("bootstrap.sh.template");
    }

    /** bin/tally, which the build copies into this jar: the instance runs the service through it. */
    static String launcher() {
        String script = resource("launcher/tally");
        if (!script.endsWith("\n") || script.contains("\nTALLY_LAUNCHER\n")) {
            throw new IllegalStateException("the launcher cannot be embedded in the bootstrap's here-document");
        }
        return script;
    }

    private static String resource(String name) {
        try (InputStream in = BootstrapScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
