package tally.http;

import io.undertow.server.HttpServerExchange;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may act on this server: its own (the scheme, host and port the request was
 * sent to) and those configured. A request without {@code Origin} does not come from a browser page.
 */
public final class Origins {
    private final Set<String> allowed;

    public Origins(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /** Whether {@code origin} (an {@code Origin} header's value) may act through {@code exchange}. */
    public boolean allows(String origin, HttpServerExchange exchange) {
        return allowed.contains(origin) || sameHost(origin, exchange.getHostAndPort(), exchange.getRequestScheme());
    }

    /** Host and port of the origin equal those the request was sent to (default ports filled in). */
    private static boolean sameHost(String origin, String hostAndPort, String requestScheme) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null) {
                return false; // "null", the origin of sandboxed frames and local files
            }
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
            String expected = uri.getHost() + ":" + port;
            String actual = hostAndPort.matches(".*:\\d+$") ? hostAndPort : hostAndPort + ":" + defaultPort(requestScheme);
            return expected.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
