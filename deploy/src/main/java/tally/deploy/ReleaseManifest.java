package tally.deploy;

/** {@code releases/V/manifest.json}: what was published, so instances can check the bytes they fetch. */
public record ReleaseManifest(String version, String sha256, long size, String key, String publishedAt) {
}
