package tally.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code envs/E/history.json}: every release, rollback and failure, oldest first. Appends happen under
 * the environment lock and are also conditional on the ETag read, so a lost update fails loudly.
 */
public final class History {
    private static final TypeReference<List<HistoryEntry>> ENTRIES = new TypeReference<>() {
    };

    private final S3Client s3;
    private final String bucket;
    private final ObjectMapper json;

    public History(S3Client s3, String bucket, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
    }

    public static String key(String env) {
        return "envs/" + env + "/history.json";
    }

    public List<HistoryEntry> read(String env) {
        return fetch(env).map(Snapshot::entries).orElse(List.of());
    }

    public void append(String env, HistoryEntry entry) {
        Optional<Snapshot> current = fetch(env);
        List<HistoryEntry> entries = new ArrayList<>(current.map(Snapshot::entries).orElse(List.of()));
        entries.add(entry);
        byte[] body;
        try {
            body = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries);
        } catch (IOException e) {
            throw new DeployException("cannot encode history: " + e.getMessage(), e);
        }
        s3.putObject(b -> {
            b.bucket(bucket).key(key(env)).contentType("application/json");
            current.ifPresentOrElse(s -> b.ifMatch(s.etag()), () -> b.ifNoneMatch("*"));
        }, RequestBody.fromBytes(body));
    }

    /** The version of the latest successful release or rollback before {@code liveVersion}'s, if any. */
    public Optional<String> previousVersion(String env, String liveVersion) {
        List<HistoryEntry> entries = read(env);
        boolean seenLive = false;
        for (int i = entries.size() - 1; i >= 0; i--) {
            HistoryEntry e = entries.get(i);
            if (!e.succeeded() || e.version() == null || !("release".equals(e.action()) || "rollback".equals(e.action()))) {
                continue;
            }
            if (e.version().equals(liveVersion)) {
                seenLive = true;
            } else if (seenLive || liveVersion == null) {
                return Optional.of(e.version());
            }
        }
        return Optional.empty();
    }

    private record Snapshot(List<HistoryEntry> entries, String etag) {
    }

    private Optional<Snapshot> fetch(String env) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(env)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Snapshot(json.readValue(bytes.asByteArray(), ENTRIES), bytes.response().eTag()));
        } catch (IOException e) {
            throw new DeployException("s3://" + bucket + "/" + key(env) + " is not readable JSON: " + e.getMessage(), e);
        }
    }
}
