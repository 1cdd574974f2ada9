package tally.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The write tokens of one environment: {@code envs/ENV/tokens} beside its history, in the service's token
 * file format with SHA-256 digests only ({@code NAME: sha256:HEX [expires=AT]  # created AT by WHO}). The instances run
 * with {@code --token-file s3://BUCKET/envs/ENV/tokens} and poll it, so a token made or revoked here counts
 * on every running instance within seconds, without a release. A token itself is shown once, at creation,
 * and stored nowhere.
 *
 * <p>Every change is a conditional write on the ETag read ({@code If-Match}, or {@code If-None-Match: *}
 * for the first token), retried on a conflict: two people adding tokens at once both get theirs.
 */
public final class EnvTokens {
    /** One token as the list keeps it; {@code expires} is null for a token that does not expire. */
    public record Entry(String name, String sha256, String created, String createdBy, String expires) {
        /** Whether the instances refuse it by now. */
        public boolean expiredAt(Instant now) {
            return expires != null && !now.isBefore(Instant.parse(expires));
        }
    }

    /** A token just made: the only time its value exists outside the client that uses it. */
    public record Created(String env, String name, String token, String sha256, String created, String expires,
                          String pickedUpWithin) {
    }

    /** Instances read the list this often (the service's poll of an S3 token list). */
    static final String PICKUP = "5 s";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern LINE = Pattern.compile(
            "([A-Za-z0-9._@-]{1,64}): sha256:([0-9a-f]{64})(?: expires=(\\S+))?(?:\\s+#\\s*created (\\S+) by (.*))?");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ATTEMPTS = 10;

    private final S3Client s3;
    private final String bucket;
    private final String env;

    public EnvTokens(S3Client s3, String bucket, String env) {
        this.s3 = s3;
        this.bucket = bucket;
        this.env = Fleet.checkEnv(env);
    }

    public static String key(String env) {
        return "envs/" + env + "/tokens";
    }

    /** What the instances are started with. */
    public static String location(String bucket, String env) {
        return "s3://" + bucket + "/" + key(env);
    }

    public String location() {
        return location(bucket, env);
    }

    public List<Entry> list() {
        return read().map(Snapshot::entries).orElse(List.of());
    }

    /** Writes an empty list if there is none: the environment's instances then start with writes closed. */
    public void ensureList() {
        if (read().isEmpty()) {
            try {
                AwsErrors.during("write " + location(), () -> s3.putObject(b -> b.bucket(bucket).key(key(env))
                        .contentType("text/plain; charset=utf-8").ifNoneMatch("*"),
                        RequestBody.fromString(render(List.of()), StandardCharsets.UTF_8)));
            } catch (DeployException e) {
                if (!(e.getCause() instanceof S3Exception s && (s.statusCode() == 412 || s.statusCode() == 409))) {
                    throw e;
                }
                // Someone made the first token meanwhile: the list exists.
            }
        }
    }

    /** Makes a token named {@code name} (unique in the environment) that does not expire. */
    public Created create(String name, String createdBy, Instant now) {
        return create(name, createdBy, now, null);
    }

    /**
     * Makes a token named {@code name} (unique in the environment) and adds its digest to the list; the
     * instances refuse it from {@code now + validFor} on (null: never).
     */
    public Created create(String name, String createdBy, Instant now, Duration validFor) {
        checkName(name);
        if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
            throw new DeployException("a token's lifetime must be positive, not " + validFor, 2, null);
        }
        String token = newToken();
        String digest = sha256(token);
        String expires = validFor == null ? null : now.plus(validFor).truncatedTo(ChronoUnit.SECONDS).toString();
        Entry entry = new Entry(name, digest, now.toString(), createdBy.replaceAll("[\\r\\n]", " "), expires);
        update(entries -> {
            if (entries.stream().anyMatch(e -> e.name().equals(name))) {
                throw new DeployException("environment " + env + " already has a token named " + name
                        + ": revoke it first, or choose another name", 2, null);
            }
            List<Entry> more = new ArrayList<>(entries);
            more.add(entry);
            return more;
        });
        return new Created(env, name, token, digest, entry.created(), expires, PICKUP);
    }

    /** Removes the token named {@code name}; returns what was removed. */
    public Entry revoke(String name) {
        Entry[] removed = new Entry[1];
        update(entries -> {
            removed[0] = entries.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() ->
                    new DeployException("environment " + env + " has no token named " + name + " (tally-deploy token"
                            + " list --env " + env + ")", 2, null));
            return entries.stream().filter(e -> !e.name().equals(name)).toList();
        });
        return removed[0];
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equalsIgnoreCase("sha256")) {
            throw new DeployException("a token name is 1-64 letters, digits or .-_@ (and not sha256), not '" + name
                    + "'", 2, null);
        }
    }

    /**
     * 32 random bytes, base64url: 256 bits, within the service's token alphabet. The {@code tally_} prefix
     * lets secret scanners recognise one that leaked into a repository or a log.
     */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "tally_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The list as the service reads it; the comments are for people and for {@link #parse}. */
    String render(List<Entry> entries) {
        StringBuilder text = new StringBuilder("# Write tokens of Tally environment " + env
                + ", as SHA-256 digests. Kept by tally-deploy token create|revoke;\n"
                + "# the environment's instances re-read this every " + PICKUP + ".\n");
        for (Entry e : entries) {
            text.append(e.name()).append(": sha256:").append(e.sha256());
            if (e.expires() != null) {
                text.append(" expires=").append(e.expires());
            }
            text.append("  # created ").append(e.created()).append(" by ").append(e.createdBy()).append('\n');
        }
        return text.toString();
    }

    List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String stripped = lines[i].strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(stripped);
            if (!m.matches()) {
                // The line itself is not shown: written by hand, it may hold a token in clear.
                throw new DeployException(location() + " line " + (i + 1) + " is not one tally-deploy writes"
                        + " (NAME: sha256:HEX [expires=INSTANT]  # created ... by ...); fix or remove it by hand");
            }
            entries.add(new Entry(m.group(1), m.group(2), m.group(4), m.group(5), m.group(3)));
        }
        return entries;
    }

    private record Snapshot(List<Entry> entries, String etag) {
    }

    private Optional<Snapshot> read() {
        return AwsErrors.during("read " + location(), () -> {
            try {
                ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(env)));
                return Optional.of(new Snapshot(parse(got.asUtf8String()), got.response().eTag()));
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private void update(UnaryOperator<List<Entry>> change) {
        for (int attempt = 1; ; attempt++) {
            Optional<Snapshot> current = read();
            String body = render(change.apply(current.map(Snapshot::entries).orElse(List.of())));
            try {
                AwsErrors.during("write " + location(), () -> s3.putObject(b -> {
                    b.bucket(bucket).key(key(env)).contentType("text/plain; charset=utf-8");
                    current.ifPresentOrElse(s -> b.ifMatch(s.etag()), () -> b.ifNoneMatch("*"));
                }, RequestBody.fromString(body, StandardCharsets.UTF_8)));
                return;
            } catch (DeployException e) {
                if (!(e.getCause() instanceof S3Exception s && (s.statusCode() == 412 || s.statusCode() == 409))
                        || attempt == ATTEMPTS) {
                    throw e;
                }
                // Someone else changed the list since it was read: read it again and re-apply, after a random
                // pause so that writers who collided do not collide again.
                try {
                    Thread.sleep(20 + RANDOM.nextInt(30 * attempt));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
