package tally.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real EC2 + S3 emulator for the deploy tests, started once per test run: {@code moto_server} on a free
 * loopback port when it is on PATH, else the {@code motoserver/moto} image through Testcontainers when
 * Docker answers, else the tests are skipped with the reason. With {@code TALLY_REQUIRE_MOTO=1} (CI) a
 * missing emulator fails the tests instead.
 */
public final class MotoServer implements BeforeAllCallback, ParameterResolver {
    private static final String KEY = "tally.moto";

    /** The running emulator; closed by JUnit when the whole run ends. */
    public record Endpoint(URI uri, AutoCloseable stopper) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            stopper.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoint(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Endpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return endpoint(context);
    }

    private static Endpoint endpoint(ExtensionContext context) {
        // The SDK's default credential chain reads these; moto accepts any key.
        System.setProperty("aws.accessKeyId", "tally-test");
        System.setProperty("aws.secretAccessKey", "tally-test");
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> start(), Endpoint.class);
    }

    private static Endpoint start() {
        if (onPath("moto_server")) {
            return startProcess();
        }
        String reason = "moto_server is not on PATH";
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return startContainer();
            }
            reason += " and Docker is not available";
        } catch (RuntimeException e) {
            reason += " and Docker failed: " + e.getMessage();
        }
        reason += " (pip install 'moto[server]')";
        if ("1".equals(System.getenv("TALLY_REQUIRE_MOTO"))) {
            throw new IllegalStateException("TALLY_REQUIRE_MOTO=1 but " + reason);
        }
        System.err.println("deploy tests skipped: " + reason);
        org.junit.jupiter.api.Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    private static Endpoint startProcess() {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path log = Files.createDirectories(Path.of("target")).resolve("moto-" + port + ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI uri = URI.create("http://127.0.0.1:" + port);
            AutoCloseable stop = () -> {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            };
            awaitAnswer(uri, process, log);
            return new Endpoint(uri, stop);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("resource")
    private static Endpoint startContainer() {
        GenericContainer<?> moto = new GenericContainer<>("motoserver/moto:5.2.1")
                .withExposedPorts(5000).waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));
        moto.start();
        return new Endpoint(URI.create("http://" + moto.getHost() + ":" + moto.getMappedPort(5000)), moto::stop);
    }

    private static void awaitAnswer(URI uri, Process process, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
            }
            try {
                http.send(HttpRequest.newBuilder(uri.resolve("/moto-api/")).build(), HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer within 60 s; see " + log.toAbsolutePath());
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
