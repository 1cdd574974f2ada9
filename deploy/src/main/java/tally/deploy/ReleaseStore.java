package tally.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Published releases in S3: {@code releases/V/tally.jar} plus {@code releases/V/manifest.json}
 * (version, sha256, size, time), and beside them the Spark job, {@code releases/V/tally-spark.jar} with
 * {@code releases/V/tally-spark.manifest.json}. A version of each jar, once published, is immutable.
 */
public final class ReleaseStore {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final ObjectMapper json;
    private final Artifact artifact;

    /** Which jar of a release a store publishes and reads: each has its own manifest. */
    public enum Artifact {
        /** The service, which instances run. */
        SERVICE("tally.jar", "manifest.json", "mvn -pl service -am package -DskipTests",
                "tally-deploy publish --version %s --jar service/target/tally.jar"),
        /** The Spark job, which EMR steps run. */
        SPARK_JOB("tally-spark.jar", "tally-spark.manifest.json", "mvn -pl spark -am package -DskipTests",
                "tally-deploy emr publish --version %s --jar spark/target/tally-spark.jar");

        private final String jarName;
        private final String manifestName;
        private final String build;
        private final String publish;

        Artifact(String jarName, String manifestName, String build, String publish) {
            this.jarName = jarName;
            this.manifestName = manifestName;
            this.build = build;
            this.publish = publish;
        }

        public String jarKey(String version) {
            return "releases/" + version + "/" + jarName;
        }

        public String manifestKey(String version) {
            return "releases/" + version + "/" + manifestName;
        }
    }

    /** The service's store. */
    public ReleaseStore(S3Client s3, S3Presigner presigner, String bucket, ObjectMapper json) {
        this(s3, presigner, bucket, json, Artifact.SERVICE);
    }

    public ReleaseStore(S3Client s3, S3Presigner presigner, String bucket, ObjectMapper json, Artifact artifact) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.json = json;
        this.artifact = artifact;
    }

    /** What {@code publish} did: uploaded, or found the same bytes already there. */
    public record Published(ReleaseManifest manifest, boolean uploaded) {
    }

    public static String checkVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new DeployException("invalid version '" + version + "': use letters, digits and . _ + - (at most 64)");
        }
        return version;
    }

    public Published publish(String version, Path jar) {
        checkVersion(version);
        if (!Files.isRegularFile(jar)) {
            throw new DeployException("no jar at " + jar + " (build it with: " + artifact.build + ")");
        }
        embeddedVersion(jar).filter(reported -> !reported.equals(version)).ifPresent(reported -> {
            throw new DeployException(jar + " reports version " + reported + " on /version, not " + version
                    + ": the health gate would never pass. Build it with -Dtally.release.version=" + version);
        });
        String sha256 = sha256(jar);
        Optional<ReleaseManifest> existing = manifest(version);
        if (existing.isPresent()) {
            if (existing.get().sha256().equals(sha256)) {
                return new Published(existing.get(), false);
            }
            throw new DeployException("version " + version + " is already published with sha256 "
                    + existing.get().sha256() + " but " + jar + " has sha256 " + sha256
                    + ": published versions are immutable, pick a new version");
        }
        ensureBucket();
        long size = size(jar);
        s3.putObject(b -> b.bucket(bucket).key(artifact.jarKey(version)).contentType("application/java-archive")
                .checksumSHA256(base64(sha256)).metadata(java.util.Map.of("sha256", sha256)), RequestBody.fromFile(jar));
        ReleaseManifest manifest = new ReleaseManifest(version, sha256, size, artifact.jarKey(version), Instant.now().toString());
        // If-None-Match: a concurrent publish of the same version cannot replace this manifest.
        s3.putObject(b -> b.bucket(bucket).key(artifact.manifestKey(version)).contentType("application/json").ifNoneMatch("*"),
                RequestBody.fromBytes(toJson(manifest)));
        return new Published(manifest, true);
    }

    public Optional<ReleaseManifest> manifest(String version) {
        try {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(artifact.manifestKey(version))).asByteArray();
            return Optional.of(json.readValue(bytes, ReleaseManifest.class));
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DeployException("unreadable manifest for " + version + ": " + e.getMessage(), e);
        }
    }

    public ReleaseManifest require(String version) {
        checkVersion(version);
        return manifest(version).orElseThrow(() -> new DeployException("version " + version + " is not published in s3://"
                + bucket + "/releases/ (no " + artifact.manifestKey(version) + "; run: " + artifact.publish.formatted(version) + ")"));
    }

    /** A GET URL an instance can fetch the jar with, without AWS credentials of its own. */
    public String presignedJarUrl(String version, Duration validFor) {
        return presigner.presignGetObject(p -> p.signatureDuration(validFor)
                .getObjectRequest(g -> g.bucket(bucket).key(artifact.jarKey(version)))).url().toString();
    }

    public String bucket() {
        return bucket;
    }

    /** Where a version's jar is, as spark-submit and the AWS CLI name it. */
    public String jarUri(String version) {
        return "s3://" + bucket + "/" + artifact.jarKey(version);
    }

    static String jarKey(String version) {
        return Artifact.SERVICE.jarKey(version);
    }

    static String manifestKey(String version) {
        return Artifact.SERVICE.manifestKey(version);
    }

    /** The version a Tally jar serves on /version ({@code tally-version.properties}), if it is one. */
    static Optional<String> embeddedVersion(Path jar) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            java.util.zip.ZipEntry entry = zip.getEntry("tally-version.properties");
            if (entry == null) {
                return Optional.empty();
            }
            java.util.Properties properties = new java.util.Properties();
            try (InputStream in = zip.getInputStream(entry)) {
                properties.load(in);
            }
            return Optional.ofNullable(properties.getProperty("version"));
        } catch (IOException notAZip) {
            return Optional.empty();
        }
    }

    private void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    private byte[] toJson(Object value) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new DeployException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DeployException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String base64(String hex) {
        return java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }
}
