package tally.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Locale;
import java.util.Set;

/**
 * Answers only requests addressed to a host name this server is known by. A page on an attacker's
 * domain whose DNS is switched to a local address afterwards ("DNS rebinding") would otherwise reach a
 * server on loopback as same-origin: its requests still carry the attacker's name in {@code Host}.
 * An empty set allows any name (a server on a public address reached through names it cannot know).
 */
public final class HostGuard implements HttpHandler {
    private final Set<String> allowed;
    private final HttpHandler next;

    /** {@code allowed}: host names without ports, lower case; empty for any. */
    public HostGuard(Set<String> allowed, HttpHandler next) {
        this.allowed = Set.copyOf(allowed);
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!allowed.isEmpty()) {
            String host = exchange.getHostName().toLowerCase(Locale.ROOT);
            if (!allowed.contains(host) && !allowed.contains("[" + host + "]")) {
                throw Problem.of(421, "Misdirected Request", "this server does not answer for host " + host
                        + ": it answers for " + String.join(", ", allowed.stream().sorted().toList())
                        + " (--allowed-hosts)").toException();
            }
        }
        next.handleRequest(exchange);
    }
}
