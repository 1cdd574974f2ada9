package tally.load;

import java.io.File;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code moto_server} on a free loopback port for the Redshift part-file tests, one per test run. Not on
 * PATH: the tests are skipped, unless TALLY_REQUIRE_MOTO=1 (the pipeline's deploy-tests stage), as
 * with the deploy module's own emulator.
 */
public final class S3Emulator implements ParameterResolver {
    private static final String KEY = "tally.load.moto";

    /** The running emulator's base URI; stopped when the run ends. */
    public record Endpoint(URI uri, Process process) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Endpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The SDK's default credential chain reads these; moto accepts any key.
        System.setProperty("aws.accessKeyId", "tally-test");
        System.setProperty("aws.secretAccessKey", "tally-test");
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> start(), Endpoint.class);
    }

    private static Endpoint start() {
        if (!onPath("moto_server")) {
            String reason = "moto_server is not on PATH (pip install 'moto[server]')";
            if ("1".equals(System.getenv("TALLY_REQUIRE_MOTO"))) {
                throw new IllegalStateException("TALLY_REQUIRE_MOTO=1 but " + reason);
            }
            Assumptions.abort(reason);
        }
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path log = Files.createDirectories(Path.of("target")).resolve("moto-load-" + port + ".log");
            Process process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Endpoint endpoint = new Endpoint(URI.create("http://127.0.0.1:" + port), process);
            awaitAnswer(endpoint);
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server: " + e.getMessage(), e);
        }
    }

    private static void awaitAnswer(Endpoint endpoint) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && endpoint.process().isAlive()) {
            try {
                http.send(HttpRequest.newBuilder(endpoint.uri().resolve("/moto-api/")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                sleep();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        endpoint.process().destroyForcibly();
        throw new IllegalStateException("moto_server did not answer within 60 s");
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
