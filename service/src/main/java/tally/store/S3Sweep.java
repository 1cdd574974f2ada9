package tally.store;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Removes what uploads that never finished left in an {@link S3DatasetStore}: open multipart uploads,
 * data objects no commit refers to, stale claims without a commit, and index entries of datasets that
 * are neither committed nor claimed. Only things older than the grace period go, and never those of
 * an upload whose claim is fresh (its instance is alive and heartbeating) or that runs in this
 * process. Every instance sweeps; two sweeps at once only delete the same keys twice.
 *
 * <p>Cost: one listing of each key family (a request per 1,000 keys) and one read per fresh claim
 * (uploads in flight) and per dataset with data under more than one token (rare: a race, a crash).
 */
public final class S3Sweep {
    /** What one sweep did. */
    public record Result(int abortedUploads, int deletedObjects) {
        public int removed() {
            return abortedUploads + deletedObjects;
        }
    }

    private final S3Objects s3;
    private final S3Keys keys;
    private final S3StoreSettings settings;
    private final Clock clock;
    private final Predicate<String> localToken;

    S3Sweep(S3Objects s3, S3Keys keys, S3StoreSettings settings, Clock clock, Predicate<String> localToken) {
        this.s3 = s3;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.localToken = localToken;
    }

    Result sweep() {
        Instant now = clock.instant();
        Instant old = now.minus(settings.sweepGrace());
        Instant fresh = now.minus(settings.staleAfter());
        Set<String> committed = new HashSet<>();
        s3.listAll(keys.metas(), o -> {
            String id = keys.idOfMeta(o.key());
            if (id != null) {
                committed.add(id);
            }
        });
        Map<String, Instant> claims = new HashMap<>();
        s3.listAll(keys.claims(), o -> {
            String id = keys.idOfClaim(o.key());
            if (id != null) {
                claims.put(id, o.lastModified());
            }
        });
        Set<String> live = liveTokens(claims, committed, fresh);
        Predicate<String> keep = token -> live.contains(token) || localToken.test(token);

        int[] aborted = {0};
        s3.listOpenUploads(keys.data(), u -> {
            S3Keys.DataRef ref = keys.parseData(u.key());
            if (ref != null && u.initiated().isBefore(old) && !keep.test(ref.token())) {
                s3.abortMultipart(u.key(), u.uploadId());
                aborted[0]++;
            }
        });
        int deleted = sweepData(committed, keep, old);
        deleted += sweepClaims(claims, committed, old);
        deleted += sweepIndex(claims, committed, old);
        return new Result(aborted[0], deleted);
    }

    /** Tokens of uploads whose claim is fresh: their instance is alive. */
    private Set<String> liveTokens(Map<String, Instant> claims, Set<String> committed, Instant fresh) {
        Set<String> live = new HashSet<>();
        claims.forEach((id, written) -> {
            if (!committed.contains(id) && written.isAfter(fresh)) {
                S3Objects.Stored claim = s3.get(keys.claim(id));
                if (claim != null) {
                    live.add(claim.metadata().getOrDefault("token", ""));
                }
            }
        });
        return live;
    }

    private int sweepData(Set<String> committed, Predicate<String> keep, Instant old) {
        Map<String, Map<String, Instant>> tokensById = new HashMap<>();
        Map<String, Set<String>> keysByToken = new HashMap<>();
        s3.listAll(keys.data(), o -> {
            S3Keys.DataRef ref = keys.parseData(o.key());
            if (ref != null) {
                tokensById.computeIfAbsent(ref.id(), k -> new HashMap<>()).merge(ref.token(), o.lastModified(),
                        (a, b) -> a.isAfter(b) ? a : b);
                keysByToken.computeIfAbsent(ref.token(), k -> new HashSet<>()).add(o.key());
            }
        });
        int deleted = 0;
        for (Map.Entry<String, Map<String, Instant>> e : tokensById.entrySet()) {
            String id = e.getKey();
            Map<String, Instant> tokens = e.getValue();
            String referenced = null;
            if (committed.contains(id)) {
                if (tokens.size() == 1) {
                    continue; // the usual case: one upload, committed
                }
                S3Objects.Stored meta = s3.get(keys.meta(id));
                referenced = meta == null ? null : meta.metadata().get("token");
                if (referenced == null) {
                    continue; // deleted meanwhile, or unreadable: the next sweep sees it
                }
            }
            for (Map.Entry<String, Instant> t : tokens.entrySet()) {
                if (!t.getKey().equals(referenced) && !keep.test(t.getKey()) && t.getValue().isBefore(old)) {
                    for (String key : keysByToken.getOrDefault(t.getKey(), Set.of())) {
                        s3.delete(key);
                        deleted++;
                    }
                }
            }
        }
        return deleted;
    }

    /** Claims without a commit, not written for the whole grace period: killed uploads and cut-short deletes. */
    private int sweepClaims(Map<String, Instant> claims, Set<String> committed, Instant old) {
        int deleted = 0;
        for (Map.Entry<String, Instant> e : claims.entrySet()) {
            if (!committed.contains(e.getKey()) && e.getValue().isBefore(old)) {
                s3.delete(keys.claim(e.getKey()));
                deleted++;
            }
        }
        return deleted;
    }

    private int sweepIndex(Map<String, Instant> claims, Set<String> committed, Instant old) {
        int[] deleted = {0};
        s3.listAll(keys.indexes(), o -> {
            S3Keys.IndexEntry entry = keys.parseIndex(o.key());
            if (entry == null || committed.contains(entry.id()) || !o.lastModified().isBefore(old)) {
                return;
            }
            Instant claimed = claims.get(entry.id());
            // Claimed and fresh: an upload in flight. A stale claim was removed above.
            if (claimed == null || claimed.isBefore(old)) {
                s3.delete(o.key());
                deleted[0]++;
            }
        });
        return deleted[0];
    }
}
