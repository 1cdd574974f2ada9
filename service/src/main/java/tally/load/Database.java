package tally.load;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database a load connects to: a {@code jdbc:postgresql:} URL (Redshift speaks the same protocol),
 * with the password from the URL's {@code password} property or else {@code PGPASSWORD}, and the user
 * from the URL or else {@code PGUSER}, as psql would take them. The password never appears in what
 * this class hands out for printing: {@link #masked} covers every message that could echo it.
 */
final class Database {
    static final String PREFIX = "jdbc:postgresql:";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;]password=)[^&;\\s]*");
    private static final Pattern URL_USER = Pattern.compile("(?i)[?&;]user=");
    private static final String MASK = "***";
    /** Seconds to wait for the server to answer at all; a load itself may run for long. */
    private static final String CONNECT_TIMEOUT_SECONDS = "10";

    private final String url;
    private final Properties properties = new Properties();
    /** The password, whichever way it came, or null: masked wherever it shows up. */
    private final String password;

    private Database(String url, Map<String, String> env) {
        this.url = url;
        Matcher inUrl = URL_PASSWORD.matcher(url);
        String fromEnv = env.get("PGPASSWORD");
        if (inUrl.find()) {
            password = url.substring(inUrl.end(1), inUrl.end());
        } else if (fromEnv != null && !fromEnv.isEmpty()) {
            password = fromEnv;
            properties.setProperty("password", fromEnv);
        } else {
            password = null;
        }
        String user = env.get("PGUSER");
        if (!URL_USER.matcher(url).find() && user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        properties.setProperty("ApplicationName", "tally load");
        properties.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
    }

    /** Refuses anything but a PostgreSQL-protocol JDBC URL. */
    static Database of(String url, Map<String, String> env) {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("the JDBC URL must start with " + PREFIX
                    + " (for Redshift too: jdbc:postgresql://CLUSTER:5439/DB), not '" + maskUrl(url) + "'");
        }
        return new Database(url, env);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, properties);
    }

    /** The URL for messages, its password property masked. */
    String displayUrl() {
        return masked(url);
    }

    /** {@code text} with the URL's password property and the password itself masked. */
    String masked(String text) {
        if (text == null) {
            return null;
        }
        String out = maskUrl(text);
        return password == null || password.isEmpty() ? out : out.replace(password, MASK);
    }

    private static String maskUrl(String text) {
        return text == null ? null : URL_PASSWORD.matcher(text).replaceAll("$1" + MASK);
    }
}
