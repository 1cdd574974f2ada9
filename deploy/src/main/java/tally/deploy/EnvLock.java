package tally.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One deploy at a time per environment: {@code envs/E/lock.json} created with {@code If-None-Match: *}
 * (S3 conditional writes), so of two concurrent creates exactly one succeeds. The lock carries an expiry:
 * a run that was killed cannot block the environment for longer than that, and an expired lock is taken
 * over by deleting it with {@code If-Match} on the ETag that was read, so two runs cannot both take it.
 */
public final class EnvLock {
    /** What the lock object holds. */
    public record Holder(String owner, String acquiredAt, String expiresAt, String version, String message) {
    }

    /** A held lock; release it when the command ends. */
    public record Held(String env, String etag, Holder holder) {
    }

    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;
    private final Clock clock;

    public EnvLock(S3Client s3, String bucket, ObjectMapper json, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
        this.clock = clock;
    }

    public static String key(String env) {
        return "envs/" + env + "/lock.json";
    }

    public Held acquire(String env, String owner, String version, String message, Duration ttl) {
        Instant now = clock.instant();
        Holder holder = new Holder(owner, now.toString(), now.plus(ttl).toString(), version, message);
        // Two rounds at most: the second follows the takeover of an expired (or just released) lock.
        for (int round = 0; round < 2; round++) {
            try {
                String etag = s3.putObject(b -> b.bucket(bucket).key(key(env)).ifNoneMatch("*").contentType("application/json"),
                        RequestBody.fromBytes(bytes(holder))).eTag();
                return new Held(env, etag, holder);
            } catch (S3Exception e) {
                if (!isConflict(e)) {
                    throw e;
                }
            }
            ResponseBytes<GetObjectResponse> current;
            try {
                current = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(env)));
            } catch (NoSuchKeyException gone) {
                continue;
            }
            Holder other = parse(current.asByteArray());
            if (Instant.parse(other.expiresAt()).isAfter(clock.instant())) {
                throw new LockHeldException("environment " + env + " is locked by " + other.owner() + " since "
                        + other.acquiredAt() + " (" + other.message() + "); the lock expires at " + other.expiresAt()
                        + ". Wait for that deploy, or if it is dead run again with --force-unlock.");
            }
            String staleEtag = current.response().eTag();
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key(env)).ifMatch(staleEtag));
            } catch (S3Exception e) {
                if (!isConflict(e)) {
                    throw e;
                }
                // Someone else took it over first: the next round reports them as the holder.
            }
        }
        throw new LockHeldException("environment " + env + " lock changed hands while taking it over; run again");
    }

    public void release(Held held) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key(held.env())).ifMatch(held.etag()));
        } catch (S3Exception e) {
            if (!isConflict(e) && e.statusCode() != 404) {
                throw e;
            }
            // Our lock expired and another run took it over: theirs is not ours to delete.
        }
    }

    public void forceUnlock(String env) {
        s3.deleteObject(b -> b.bucket(bucket).key(key(env)));
    }

    private static boolean isConflict(S3Exception e) {
        // 412 PreconditionFailed; 409 ConditionalRequestConflict when two conditional writes race.
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    private byte[] bytes(Holder holder) {
        try {
            return json.writeValueAsBytes(holder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Holder parse(byte[] bytes) {
        try {
            return json.readValue(bytes, Holder.class);
        } catch (IOException e) {
            throw new DeployException("the lock object " + key("...") + " is not readable JSON; remove it with --force-unlock", e);
        }
    }
}
