package tally.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, kept in this process's memory: a random 256-bit id (the cookie's value) maps to who
 * signed in, with which token (its digest) and until when.
 *
 * <p>Why not a signed cookie that any instance could check: signing out or revoking a token must end
 * the sessions at once, and a signed cookie stays valid until it expires unless the server keeps a
 * list of revoked ones, which is state again, plus a signing key to create, share and rotate. A session
 * here is checked against the token file on every use, so removing a token ends its sessions within a
 * second. The cost: a restart or a release signs everyone out, and instances do not share sessions
 * (the deploy tool sends an environment's traffic to one instance; behind a load balancer, make
 * sessions sticky).
 */
public final class Sessions {
    /** A working day: long enough not to nag, short enough that a forgotten browser does not stay signed in. */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** Sign-ins are throttled per address; this bounds the memory a flood of them could take anyway. */
    static final int MAX_SESSIONS = 10_000;

    /** Who a session belongs to. */
    public record Session(String name, byte[] tokenDigest, Instant expires) {
        public Session {
            tokenDigest = tokenDigest.clone();
        }

        @Override
        public byte[] tokenDigest() {
            return tokenDigest.clone();
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session's id (43 URL-safe characters: 256 random bits). */
    public String create(String name, byte[] tokenDigest) {
        if (sessions.size() >= MAX_SESSIONS) {
            dropExpired();
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().expires()))
                        .ifPresent(oldest -> sessions.remove(oldest.getKey()));
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(id, new Session(name, tokenDigest, clock.instant().plus(LIFETIME)));
        return id;
    }

    /** The live session with this id; an expired one is removed. */
    public Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expires())) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    public void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    private void dropExpired() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expires()));
    }
}
