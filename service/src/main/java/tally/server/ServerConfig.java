package tally.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything the server is configured with, read once in {@link Main} (flags, then {@code TALLY_*}
 * environment variables, then defaults) and passed down through constructors.
 *
 * @param host address to listen on
 * @param port port to listen on; 0 picks a free one
 * @param dataDir where datasets are stored
 * @param maxUploadBytes cap on an upload's body, and separately on its decompressed size
 * @param maxConcurrentUploads uploads running at once; one more gets 503 (each holds a job and a disk writer)
 * @param allowedOrigins browser origins allowed on the WebSocket besides the request's own host
 * @param drainTimeout how long a stop waits for in-flight uploads
 * @param maxProgressWatchers WebSockets watching progress at once; one more is closed with 1013
 * @param progressWaitLimit how long a WebSocket may wait for an upload of its dataset to start
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
        Duration progressWaitLimit) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = "tally-data";
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 1L << 30;

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
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /**
     * The embedded defaults: 0.0.0.0:8080, ./tally-data, 1 GiB uploads; 10,000 progress WebSockets, each
     * waiting at most 10 minutes for its upload to start (the web UI starts it at once).
     */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Path.of(DEFAULT_DATA_DIR), DEFAULT_MAX_UPLOAD_BYTES,
                8, Set.of(), Duration.ofSeconds(30), 10_000, Duration.ofMinutes(10));
    }

    /** Loopback, a free port, the given data dir: what tests start. */
    public static ServerConfig loopback(Path dataDir) {
        return defaults().withHost("127.0.0.1").withPort(0).withDataDir(dataDir);
    }

    public ServerConfig withHost(String value) {
        return new ServerConfig(value, port, dataDir, maxUploadBytes, maxConcurrentUploads, allowedOrigins, drainTimeout,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withPort(int value) {
        return new ServerConfig(host, value, dataDir, maxUploadBytes, maxConcurrentUploads, allowedOrigins, drainTimeout,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withDataDir(Path value) {
        return new ServerConfig(host, port, value, maxUploadBytes, maxConcurrentUploads, allowedOrigins, drainTimeout,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withMaxUploadBytes(long value) {
        return new ServerConfig(host, port, dataDir, value, maxConcurrentUploads, allowedOrigins, drainTimeout,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withMaxConcurrentUploads(int value) {
        return new ServerConfig(host, port, dataDir, maxUploadBytes, value, allowedOrigins, drainTimeout,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withAllowedOrigins(Set<String> value) {
        return new ServerConfig(host, port, dataDir, maxUploadBytes, maxConcurrentUploads, value, drainTimeout,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withDrainTimeout(Duration value) {
        return new ServerConfig(host, port, dataDir, maxUploadBytes, maxConcurrentUploads, allowedOrigins, value,
                maxProgressWatchers, progressWaitLimit);
    }

    public ServerConfig withProgressLimits(int maxWatchers, Duration waitLimit) {
        return new ServerConfig(host, port, dataDir, maxUploadBytes, maxConcurrentUploads, allowedOrigins, drainTimeout,
                maxWatchers, waitLimit);
    }
}
