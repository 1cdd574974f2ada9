package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Rows for Redshift as gzip part files under an S3 prefix, then a COPY manifest listing exactly those
 * parts. A part ends at the last row end of the chunk (64 KiB) in which it reached {@code partBytes}:
 * a row never spans two parts, and a part is at most one chunk over the size. A part is compressed in
 * memory and put whole (a 64 MiB part is about a fifth of that gzipped), so nothing touches the local disk.
 *
 * <p>Redshift loads the files of one COPY in parallel, one per slice, and its loading guide asks for
 * files of about equal size, 1 MB to 1 GB compressed: 64 MiB of rows gives parts of 10-15 MB.
 */
final class S3Parts implements RowPump.Sink {
    static final long DEFAULT_PART_BYTES = 64L << 20;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final long partBytes;
    private final List<String> keys = new ArrayList<>();

    private ByteArrayOutputStream compressed;
    private GZIPOutputStream part;
    private long partRowBytes;

    /** {@code location} is {@code s3://BUCKET/PREFIX}; the parts and the manifest go under PREFIX/. */
    S3Parts(S3Client s3, URI location, long partBytes) {
        this.s3 = s3;
        this.bucket = bucket(location);
        this.prefix = prefix(location);
        this.partBytes = partBytes;
    }

    static String bucket(URI location) {
        if (!"s3".equals(location.getScheme()) || location.getHost() == null) {
            throw new IllegalArgumentException("--redshift takes s3://BUCKET/PREFIX, not " + location);
        }
        return location.getHost();
    }

    static String prefix(URI location) {
        String path = location.getPath() == null ? "" : location.getPath().replaceAll("^/+|/+$", "");
        return path.isEmpty() ? "" : path + "/";
    }

    @Override
    public void write(byte[] buf, int off, int len, int rowEnd) throws IOException {
        int end = off + len;
        if (rowEnd >= 0 && partRowBytes + (rowEnd - off) >= partBytes) {
            append(buf, off, rowEnd - off);
            finishPart();
            append(buf, rowEnd, end - rowEnd);
        } else {
            append(buf, off, len);
        }
    }

    private void append(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        if (part == null) {
            compressed = new ByteArrayOutputStream();
            part = new GZIPOutputStream(compressed, 1 << 16);
        }
        part.write(buf, off, len);
        partRowBytes += len;
    }

    private void finishPart() throws IOException {
        if (part == null) {
            return;
        }
        part.close();
        String key = prefix + String.format("part-%05d.tsv.gz", keys.size());
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/gzip").build(),
                RequestBody.fromBytes(compressed.toByteArray()));
        keys.add(key);
        part = null;
        compressed = null;
        partRowBytes = 0;
    }

    /** Puts the last part and the manifest; returns the manifest's s3:// URL, or null when there were no rows. */
    String finish() throws IOException {
        finishPart();
        if (keys.isEmpty()) {
            return null;
        }
        String key = prefix + "manifest.json";
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json").build(),
                RequestBody.fromBytes(manifest(bucket, keys).getBytes(UTF_8)));
        return "s3://" + bucket + "/" + key;
    }

    /** The part keys written so far, in order. */
    List<String> keys() {
        return List.copyOf(keys);
    }

    /**
     * Redshift's manifest: one entry per part, each {@code mandatory} so a part missing at load time
     * fails the COPY instead of loading fewer rows. Keys hold no quote or backslash (S3Parts names
     * them, under a prefix {@link RowsTable#literal} accepted).
     */
    static String manifest(String bucket, List<String> keys) {
        StringBuilder json = new StringBuilder("{\"entries\":[");
        for (int i = 0; i < keys.size(); i++) {
            json.append(i == 0 ? "" : ",").append("\n  {\"url\":\"s3://").append(bucket).append('/')
                    .append(keys.get(i)).append("\",\"mandatory\":true}");
        }
        return json.append("\n]}\n").toString();
    }
}
