package tally.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.undertow.server.HttpServerExchange;

/**
 * Wrong tokens per client address, to slow down guessing: after {@link #LIMIT} in {@link #WINDOW} the
 * address is refused (429) until the oldest of them is a window old. A 256-bit token cannot be guessed
 * anyway; this keeps a misconfigured client or a scanner from costing a hash per request for ever, and
 * makes a short token hard to guess. The address is the TCP peer's: behind a proxy every client shares
 * it, so one client's mistakes slow the others (as with {@code --max-uploads-per-client}).
 */
public final class FailedAttempts {
    static final int LIMIT = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses remembered at most; past it, those whose failures are all old are forgotten first. */
    private static final int MAX_ADDRESSES = 100_000;

    private final Map<Object, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Clock clock;

    public FailedAttempts(Clock clock) {
        this.clock = clock;
    }

    static Object clientOf(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getSourceAddress();
        InetAddress address = peer == null ? null : peer.getAddress();
        return address == null ? "unknown" : address;
    }

    /** Seconds until this client may try again; 0 if it may now. */
    public long retryAfterSeconds(HttpServerExchange exchange) {
        Deque<Long> times = failures.get(clientOf(exchange));
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            long now = clock.millis();
            dropOld(times, now);
            if (times.size() < LIMIT) {
                return 0;
            }
            long waitMillis = times.peekFirst() + WINDOW.toMillis() - now;
            return Math.max(1, (waitMillis + 999) / 1000);
        }
    }

    /** Counts a wrong token from this client. */
    public void record(HttpServerExchange exchange) {
        if (failures.size() >= MAX_ADDRESSES) {
            long now = clock.millis();
            failures.values().removeIf(times -> {
                synchronized (times) {
                    dropOld(times, now);
                    return times.isEmpty();
                }
            });
        }
        Deque<Long> times = failures.computeIfAbsent(clientOf(exchange), key -> new ArrayDeque<>());
        synchronized (times) {
            long now = clock.millis();
            dropOld(times, now);
            times.addLast(now);
            while (times.size() > LIMIT) {
                times.removeFirst();
            }
        }
    }

    private static void dropOld(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - WINDOW.toMillis()) {
            times.removeFirst();
        }
    }
}
