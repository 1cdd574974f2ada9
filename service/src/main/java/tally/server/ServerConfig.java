package tally.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import tally.auth.ReadAccess;
import tally.auth.S3TokenSource;
import tally.store.S3Location;
import tally.store.S3StoreSettings;

/**
 * Everything the server is configured with, read once by the command line (flags, then {@code TALLY_*}
 * environment variables, then the defaults of {@link Builder}) and passed down through constructors.
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one
 * @param dataDir where datasets are stored (with the file store), and where uploads spill sorted runs
 * @param maxUploadBytes cap on an upload's body, and separately on its decompressed size
 * @param maxConcurrentUploads uploads running at once; one more gets 503 (each holds a job and a disk writer)
 * @param allowedOrigins browser origins allowed on the WebSocket besides the request's own host
 * @param drainTimeout how long a stop waits for in-flight uploads
 * @param maxProgressWatchers WebSockets watching progress at once; one more is closed with 1013
 * @param progressWaitLimit how long a WebSocket may wait for an upload of its dataset to start
 * @param minFreeBytes below this much usable space in the data directory, /readyz answers 503
 * @param maxUploadsPerClient uploads one client address may run at once; one more gets 429
 * @param uploadIdleTimeout an upload that sends nothing this long is ended (408), and the span its rate is judged on
 * @param uploadMinBytesPerSecond an upload slower than this over such a span is ended (408)
 * @param allowedHosts the host names requests may be addressed to ({@code Host}); empty: loopback names
 *     when bound to a loopback address, else any; {@code *} for any
 * @param requestHeadTimeout a request's head (line and headers) must arrive within this; an idle
 *     keep-alive connection is closed after {@code uploadIdleTimeout}
 * @param store the shared S3 store ({@code s3://BUCKET/PREFIX}); null keeps datasets under {@code dataDir}
 * @param s3Endpoint an S3-compatible endpoint for the store (an emulator); null for AWS
 * @param storeHeartbeat how often the S3 store renews the claims of uploads in flight (see {@link S3StoreSettings})
 * @param storeSweepGrace how old the S3 store's leftovers must be before a sweep removes them
 * @param tokenFile the tokens that may write (and read, with {@code readAccess} token): a file, or an S3
 *     object {@code s3://BUCKET/KEY} (reached like the store, through {@code s3Endpoint}); re-read when it
 *     changes; null: anyone who reaches the server may do anything, as before tokens existed
 * @param readAccess whether reads need a token too (only with a token file)
 * @param tlsCert a PEM certificate chain, a file or an S3 object {@code s3://BUCKET/KEY} (reached like the
 *     token list), read once at start: serve HTTPS and HTTP/2 instead of plain HTTP; null for plain HTTP
 * @param tlsKey the PEM private key of {@code tlsCert}, a file or {@code s3://BUCKET/KEY}
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        long maxUploadBytes,
        int maxConcurrentUploads,
        Set<String> allowedOrigins,
        Duration drainTimeout,
        int maxProgressWatchers,
        Duration progressWaitLimit,
        long minFreeBytes,
        int maxUploadsPerClient,
        Duration uploadIdleTimeout,
        long uploadMinBytesPerSecond,
        Duration requestHeadTimeout,
        Set<String> allowedHosts,
        S3Location store,
        URI s3Endpoint,
        Duration storeHeartbeat,
        Duration storeSweepGrace,
        String tokenFile,
        ReadAccess readAccess,
        String tlsCert,
        String tlsKey) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = "tally-data";
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 30;
    public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;
    /** Six of the default 8 upload slots: one client, however slow or busy, leaves two for the others. */
    public static final int DEFAULT_MAX_UPLOADS_PER_CLIENT = 6;
    public static final int DEFAULT_UPLOAD_IDLE_SECONDS = 60;
    /** A thousandth of a slow home line's upstream: only a client that is stalling falls below it. */
    public static final long DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND = 1024;
    public static final int DEFAULT_REQUEST_HEAD_SECONDS = 20;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (maxUploadBytes <= 0) {
            throw new IllegalArgumentException("max upload bytes must be positive, got " + maxUploadBytes);
        }
        if (maxConcurrentUploads <= 0) {
            throw new IllegalArgumentException("max concurrent uploads must be positive, got " + maxConcurrentUploads);
        }
        if (maxProgressWatchers <= 0) {
            throw new IllegalArgumentException("max progress watchers must be positive, got " + maxProgressWatchers);
        }
        if (progressWaitLimit.isNegative() || progressWaitLimit.isZero()) {
            throw new IllegalArgumentException("progress wait limit must be positive, got " + progressWaitLimit);
        }
        if (maxUploadsPerClient <= 0) {
            throw new IllegalArgumentException("max uploads per client must be positive, got " + maxUploadsPerClient);
        }
        if (uploadIdleTimeout.isNegative() || uploadIdleTimeout.isZero() || requestHeadTimeout.isNegative()
                || requestHeadTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive, got " + uploadIdleTimeout + " and "
                    + requestHeadTimeout);
        }
        if (uploadMinBytesPerSecond < 0) {
            throw new IllegalArgumentException("the minimum upload rate must not be negative, got "
                    + uploadMinBytesPerSecond);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("min free bytes must not be negative, got " + minFreeBytes);
        }
        readAccess = readAccess == null ? ReadAccess.PUBLIC : readAccess;
        if (readAccess == ReadAccess.TOKEN && tokenFile == null) {
            throw new IllegalArgumentException("--read-access token needs --token-file: there is no token to ask for");
        }
        if (tokenFile != null && S3TokenSource.isS3(tokenFile)) {
            S3TokenSource.bucketAndKey(tokenFile);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither for plain HTTP");
        }
        if (tlsCert != null) {
            PemLocation.check(tlsCert);
            PemLocation.check(tlsKey);
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
        allowedHosts = Set.copyOf(allowedHosts);
        if (store != null) {
            s3Store(store, s3Endpoint, storeHeartbeat, storeSweepGrace);
        }
    }

    /** The S3 store's settings; null for the file store. */
    public S3StoreSettings s3Store() {
        return store == null ? null : s3Store(store, s3Endpoint, storeHeartbeat, storeSweepGrace);
    }

    private static S3StoreSettings s3Store(S3Location store, URI endpoint, Duration heartbeat, Duration grace) {
        return new S3StoreSettings(store, endpoint, heartbeat, grace);
    }

    /**
     * The embedded defaults: 0.0.0.0:8080, ./tally-data, 1 GiB uploads, 8 at once; 10,000 progress
     * WebSockets, each waiting at most 10 minutes for its upload to start (the web UI starts it at once).
     */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** Loopback, a free port, the given data dir: what tests start. */
    public static ServerConfig loopback(Path dataDir) {
        return builder().host("127.0.0.1").port(0).dataDir(dataDir).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The host names requests may name in {@code Host}; empty for any. Unless configured: a server bound
     * to a loopback address answers only loopback names (a DNS-rebound name is refused), any other
     * server any name, since it cannot know the names it is reached through.
     */
    public Set<String> effectiveAllowedHosts() {
        if (allowedHosts.contains("*")) {
            return Set.of();
        }
        if (!allowedHosts.isEmpty()) {
            return allowedHosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).collect(
                    java.util.stream.Collectors.toUnmodifiableSet());
        }
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1")
                || host.equals("[::1]");
        return loopback ? Set.of("localhost", "127.0.0.1", "[::1]") : Set.of();
    }

    /** A builder holding this config's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().host(host).port(port).dataDir(dataDir).maxUploadBytes(maxUploadBytes)
                .maxConcurrentUploads(maxConcurrentUploads).allowedOrigins(allowedOrigins).drainTimeout(drainTimeout)
                .progressLimits(maxProgressWatchers, progressWaitLimit).minFreeBytes(minFreeBytes)
                .maxUploadsPerClient(maxUploadsPerClient).uploadIdleTimeout(uploadIdleTimeout)
                .uploadMinBytesPerSecond(uploadMinBytesPerSecond).requestHeadTimeout(requestHeadTimeout)
                .allowedHosts(allowedHosts)
                .store(store == null ? null : store.toString()).s3Endpoint(s3Endpoint)
                .storeTimings(storeHeartbeat, storeSweepGrace).tokenFile(tokenFile).readAccess(readAccess)
                .tls(tlsCert, tlsKey);
    }

    /** Whether the server listens for HTTPS (and HTTP/2) rather than plain HTTP. */
    public boolean tls() {
        return tlsCert != null;
    }

    /** Starts from the embedded defaults; {@link #build} validates. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of(DEFAULT_DATA_DIR);
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private int maxConcurrentUploads = 8;
        private Set<String> allowedOrigins = Set.of();
        private Duration drainTimeout = Duration.ofSeconds(30);
        private int maxProgressWatchers = 10_000;
        private Duration progressWaitLimit = Duration.ofMinutes(10);
        private long minFreeBytes = DEFAULT_MIN_FREE_BYTES;
        private int maxUploadsPerClient = DEFAULT_MAX_UPLOADS_PER_CLIENT;
        private Duration uploadIdleTimeout = Duration.ofSeconds(DEFAULT_UPLOAD_IDLE_SECONDS);
        private long uploadMinBytesPerSecond = DEFAULT_UPLOAD_MIN_BYTES_PER_SECOND;
        private Duration requestHeadTimeout = Duration.ofSeconds(DEFAULT_REQUEST_HEAD_SECONDS);
        private Set<String> allowedHosts = Set.of();
        private String store;
        private URI s3Endpoint;
        private Duration storeHeartbeat = S3StoreSettings.DEFAULT_HEARTBEAT;
        private Duration storeSweepGrace = S3StoreSettings.DEFAULT_SWEEP_GRACE;
        private String tokenFile;
        private ReadAccess readAccess = ReadAccess.PUBLIC;
        private String tlsCert;
        private String tlsKey;

        private Builder() {
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder dataDir(Path value) {
            dataDir = value;
            return this;
        }

        public Builder maxUploadBytes(long value) {
            maxUploadBytes = value;
            return this;
        }

        public Builder maxConcurrentUploads(int value) {
            maxConcurrentUploads = value;
            return this;
        }

        public Builder allowedOrigins(Set<String> value) {
            allowedOrigins = value;
            return this;
        }

        public Builder drainTimeout(Duration value) {
            drainTimeout = value;
            return this;
        }

        public Builder progressLimits(int maxWatchers, Duration waitLimit) {
            maxProgressWatchers = maxWatchers;
            progressWaitLimit = waitLimit;
            return this;
        }

        public Builder minFreeBytes(long value) {
            minFreeBytes = value;
            return this;
        }

        public Builder maxUploadsPerClient(int value) {
            maxUploadsPerClient = value;
            return this;
        }

        public Builder uploadIdleTimeout(Duration value) {
            uploadIdleTimeout = value;
            return this;
        }

        public Builder uploadMinBytesPerSecond(long value) {
            uploadMinBytesPerSecond = value;
            return this;
        }

        public Builder requestHeadTimeout(Duration value) {
            requestHeadTimeout = value;
            return this;
        }

        public Builder allowedHosts(Set<String> value) {
            allowedHosts = value;
            return this;
        }

        /** {@code s3://BUCKET/PREFIX}, or null or empty for the file store under the data dir. */
        public Builder store(String location) {
            store = location;
            return this;
        }

        public Builder s3Endpoint(URI value) {
            s3Endpoint = value;
            return this;
        }

        public Builder storeTimings(Duration heartbeat, Duration sweepGrace) {
            storeHeartbeat = heartbeat;
            storeSweepGrace = sweepGrace;
            return this;
        }

        /** The token file, or null for a server open to anyone who reaches it. */
        public Builder tokenFile(Path value) {
            return tokenFile(value == null ? null : value.toString());
        }

        /** A file's path, or {@code s3://BUCKET/KEY}; null for a server open to anyone who reaches it. */
        public Builder tokenFile(String value) {
            tokenFile = value;
            return this;
        }

        public Builder readAccess(ReadAccess value) {
            readAccess = value;
            return this;
        }

        /** PEM certificate chain and private key; both null for plain HTTP. */
        public Builder tls(Path cert, Path key) {
            return tls(cert == null ? null : cert.toString(), key == null ? null : key.toString());
        }

        /** Each a file's path or {@code s3://BUCKET/KEY}; both null for plain HTTP. */
        public Builder tls(String cert, String key) {
            return tlsCert(cert).tlsKey(key);
        }

        public Builder tlsCert(String value) {
            tlsCert = value;
            return this;
        }

        public Builder tlsKey(String value) {
            tlsKey = value;
            return this;
        }

        /** The config; throws {@link IllegalArgumentException} naming the first value out of range. */
        public ServerConfig build() {
            S3Location location = store == null || store.isEmpty() ? null : S3Location.parse(store);
            return new ServerConfig(host, port, dataDir, maxUploadBytes, maxConcurrentUploads, allowedOrigins,
                    drainTimeout, maxProgressWatchers, progressWaitLimit, minFreeBytes, maxUploadsPerClient,
                    uploadIdleTimeout, uploadMinBytesPerSecond, requestHeadTimeout, allowedHosts, location, s3Endpoint,
                    storeHeartbeat, storeSweepGrace, tokenFile, readAccess, tlsCert, tlsKey);
        }
    }
}
