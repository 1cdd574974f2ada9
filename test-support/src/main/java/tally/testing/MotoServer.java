package tally.testing;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * A real AWS emulator (S3, EC2, EMR, IAM) for the tests of the service's S3 store and of the deploy tool,
 * started once per test run (JUnit's root store: every class of the run shares it) and stopped when the run
 * ends: {@code moto_server} on a free loopback port when it is on PATH (its log in {@code target/}), else the
 * {@code motoserver/moto} image through Testcontainers when Docker answers, else the tests are skipped with
 * the reason. With {@code TALLY_REQUIRE_MOTO=1} (the pipeline's deploy-tests stage) a missing emulator fails
 * them instead.
 *
 * <p>Use: {@code @ExtendWith(MotoServer.class)} and a parameter of type {@link MotoEmulator} (constructor,
 * {@code @BeforeAll}, or test method). The in-process SDK's default chain finds credentials moto accepts in
 * system properties set here; a child JVM needs {@link #CHILD_ENV}.
 */
public final class MotoServer implements BeforeAllCallback, ParameterResolver {
    private static final String KEY = "tally.moto";
    private static final String IMAGE = "motoserver/moto:5.2.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Any key works with moto; the region is the one the emulator's clients are built for. */
    static final String ACCESS_KEY = "tally-test";
    static final String REGION = "us-east-1";
    /** The credentials and region moto accepts, for the environment of child JVMs. */
    public static final Map<String, String> CHILD_ENV = Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", ACCESS_KEY, "AWS_REGION", REGION);

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoEmulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return emulator(context);
    }

    private static MotoEmulator emulator(ExtensionContext context) {
        // The SDK's default chains read these in this JVM.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", ACCESS_KEY);
        System.setProperty("aws.region", REGION);
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> start(), MotoEmulator.class);
    }

    private static MotoEmulator start() {
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
        System.err.println("moto tests skipped: " + reason);
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    private static MotoEmulator startProcess() {
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
                port = socket.getLocalPort();
            }
            String host = loopback.getHostAddress();
            Path log = Files.createDirectories(Path.of("target")).resolve("moto-" + port + ".log");
            Process process = new ProcessBuilder("moto_server", "-H", host, "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI endpoint = URI.create("http://" + host + ":" + port);
            awaitAnswer(endpoint, process, log);
            return new MotoEmulator(endpoint, () -> stop(process));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server: " + e.getMessage(), e);
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    @SuppressWarnings("resource") // stopped through the emulator's close
    private static MotoEmulator startContainer() {
        GenericContainer<?> moto = new GenericContainer<>(IMAGE).withExposedPorts(5000)
                .waitingFor(Wait.forHttp("/moto-api/").forStatusCode(200));
        moto.start();
        return new MotoEmulator(URI.create("http://" + moto.getHost() + ":" + moto.getMappedPort(5000)), moto::stop);
    }

    /** Polls moto's own API until it answers; a process that exits or a minute of silence fails the run. */
    private static void awaitAnswer(URI endpoint, Process process, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("moto_server exited with " + process.exitValue() + "; see "
                            + log.toAbsolutePath());
                }
                try {
                    http.send(probe, HttpResponse.BodyHandlers.discarding());
                    return;
                } catch (IOException ignored) {
                    // not listening yet
                }
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer within " + READY_TIMEOUT.toSeconds() + " s; see "
                + log.toAbsolutePath());
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
