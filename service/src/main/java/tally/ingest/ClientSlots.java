package tally.ingest;

import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upload slots per client address, so that one client cannot take every slot of the server. The
 * address is the TCP peer's: behind a proxy every client shares the proxy's, and the server-wide limit
 * is what applies (the proxy should limit per client itself).
 */
final class ClientSlots {
    private final int limit;
    private final ConcurrentHashMap<Object, Integer> held = new ConcurrentHashMap<>();

    ClientSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("uploads per client must be at least 1, got " + limit);
        }
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** The peer's address (without its port), or a shared key when it is not known. */
    static Object clientOf(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        return peer == null || peer.getAddress() == null ? "unknown" : peer.getAddress();
    }

    boolean tryAcquire(Object client) {
        boolean[] taken = {false};
        held.compute(client, (key, count) -> {
            int n = count == null ? 0 : count;
            if (n >= limit) {
                return count;
            }
            taken[0] = true;
            return n + 1;
        });
        return taken[0];
    }

    void release(Object client) {
        held.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }
}
