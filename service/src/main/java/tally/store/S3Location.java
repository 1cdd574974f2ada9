package tally.store;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where an S3 dataset store lives: {@code s3://BUCKET/PREFIX}. The prefix is empty or ends with a
 * slash, so keys are {@code PREFIX + "meta/ID.json"} and several stores (one per environment) can
 * share a bucket.
 */
public record S3Location(String bucket, String prefix) {
    /** S3's rules for new bucket names, loosely: what a URI host can carry. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name: '" + bucket + "'");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (prefix.startsWith("/") || prefix.contains("//")) {
            throw new IllegalArgumentException("the store prefix may not start with / or hold an empty segment: '"
                    + prefix + "'");
        }
    }

    public static boolean isS3(String location) {
        return location != null && location.startsWith("s3://");
    }

    /** Parses {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}; throws IllegalArgumentException saying what is wrong. */
    public static S3Location parse(String location) {
        if (!isS3(location)) {
            throw new IllegalArgumentException("a store location is s3://BUCKET/PREFIX, got '" + location + "'");
        }
        String rest = location.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        return new S3Location(bucket, prefix);
    }

    public URI uri() {
        return URI.create(toString());
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
