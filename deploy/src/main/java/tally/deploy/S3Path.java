package tally.deploy;

/** An {@code s3://BUCKET/KEY} location; the key may be empty (the whole bucket) or end with a slash (a prefix). */
public record S3Path(String bucket, String key) {
    private static final String SCHEME = "s3://";

    /**
     * @throws DeployException (usage, exit 2) if {@code uri} is not {@code s3://BUCKET[/KEY]}
     */
    public static S3Path parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME) || uri.length() == SCHEME.length() || uri.charAt(SCHEME.length()) == '/') {
            throw new DeployException("not an s3://BUCKET/KEY location: " + uri, 2, null);
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Path(rest, "") : new S3Path(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public static boolean is(String uri) {
        return uri != null && uri.startsWith(SCHEME);
    }

    /** The key as a prefix of the objects below it: empty, or ending with a slash. */
    public String prefix() {
        return key.isEmpty() || key.endsWith("/") ? key : key + "/";
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
