package tally.server;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import tally.store.FileTree;

/**
 * Runs the real server in-process for a test class: {@link TallyServer#start} (the same wiring as
 * {@code Main}) on 127.0.0.1 port 0 with a fresh temporary data directory, stopped and deleted after.
 * Use {@code @ExtendWith(TallyServerExtension.class)} for the defaults, or
 * {@code @RegisterExtension static final TallyServerExtension server = new TallyServerExtension(c -> c.maxUploadBytes(1024))}
 * to adjust the config; as a static field the server lives for the class, as an instance field for
 * each test. Test methods and constructors may take a {@link URI} (the base, {@code http://127.0.0.1:PORT})
 * or the {@link TallyServer}; {@link #baseUri()}, {@link #server()} and {@link #dataDir()} do the same
 * for fields.
 */
public final class TallyServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final UnaryOperator<ServerConfig.Builder> customize;
    private TallyServer server;
    private Path dataDir;
    private boolean perClass;

    public TallyServerExtension() {
        this(UnaryOperator.identity());
    }

    public TallyServerExtension(UnaryOperator<ServerConfig.Builder> customize) {
        this.customize = customize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        perClass = true;
        startServer();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stopServer();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            startServer();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (!perClass) {
            stopServer();
        }
    }

    private void startServer() throws IOException {
        dataDir = Files.createTempDirectory("tally-test-");
        server = TallyServer.start(customize.apply(ServerConfig.loopback(dataDir).toBuilder()).build());
    }

    private void stopServer() throws IOException {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (dataDir != null) {
            FileTree.delete(dataDir);
            dataDir = null;
        }
    }

    public TallyServer server() {
        return server;
    }

    public URI baseUri() {
        return server.baseUri();
    }

    /** The running server's data directory (deleted when it stops). */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == URI.class || type == TallyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (server == null) {
            startServer0();
        }
        return parameter.getParameter().getType() == URI.class ? server.baseUri() : server;
    }

    /** A constructor parameter of an instance-registered extension is resolved before beforeEach. */
    private void startServer0() {
        try {
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the server", e);
        }
    }
}
