package tally.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tally.store.FileTree;
import tally.store.S3Location;
import tally.testing.MotoEmulator;

/**
 * Servers sharing one S3 store in moto, as the instances of a fleet do: each {@link #start} is a
 * {@link TallyServer} in this JVM (the wiring Main uses) on its own port and spill directory. Short
 * store timings (1 s heartbeat, 10 s grace) keep the tests that wait for staleness short.
 */
final class SharedStore implements AutoCloseable {
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration GRACE = Duration.ofSeconds(10);

    final MotoEmulator moto;
    final S3Location location;
    private final URI endpoint;
    private final List<TallyServer> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    SharedStore(MotoEmulator moto) {
        this(moto, moto.endpoint());
    }

    /** Servers that reach moto through {@code endpoint} (a proxy the test can cut). */
    SharedStore(MotoEmulator moto, URI endpoint) {
        this.moto = moto;
        this.location = new S3Location(moto.newBucket(), "data/test/");
        this.endpoint = endpoint;
    }

    ServerConfig.Builder config() throws IOException {
        Path dir = Files.createTempDirectory("tally-s3-test-");
        dirs.add(dir);
        return ServerConfig.loopback(dir).toBuilder().store(location.toString()).s3Endpoint(endpoint)
                .storeTimings(HEARTBEAT, GRACE);
    }

    TallyServer start() throws IOException {
        TallyServer server = TallyServer.start(config().build());
        servers.add(server);
        return server;
    }

    ApiClient client() throws IOException {
        return new ApiClient(start().baseUri());
    }

    @Override
    public void close() throws IOException {
        servers.forEach(TallyServer::stop);
        for (Path dir : dirs) {
            FileTree.delete(dir);
        }
    }
}
