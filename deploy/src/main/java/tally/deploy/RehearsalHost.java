package tally.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

/**
 * Runs each launched instance on this machine, because moto records instances but boots nothing
 * (moto 5.2). The user-data is read back from EC2 (so it is exactly what RunInstances received)
 * and executed by bash with {@code TALLY_ROOT=<dir>/instances/<id>/root}, {@code TALLY_NO_SYSTEMD=1} and
 * a free loopback port; the instance's address maps to {@code 127.0.0.1:<port>}. State lives in files
 * under the rehearsal directory, so {@code release} and a later {@code smoke} or {@code teardown}
 * (separate processes) agree on it.
 */
public final class RehearsalHost implements InstanceHost {
    private final Path dir;
    private final Ec2Client ec2;
    private final Duration bootstrapTimeout;
    private final URI endpoint;
    private final String region;
    private final String scheme;

    /** A rehearsal of an environment on plain HTTP. */
    public RehearsalHost(Path dir, Ec2Client ec2, Duration bootstrapTimeout, URI endpoint, String region) {
        this(dir, ec2, bootstrapTimeout, endpoint, region, "http");
    }

    /**
     * @param endpoint the emulator the deploy talks to: the instances' data store is there too
     * @param region the region the instances are told (AWS_REGION)
     * @param scheme {@code http}, or {@code https} for an environment with TLS
     */
    public RehearsalHost(Path dir, Ec2Client ec2, Duration bootstrapTimeout, URI endpoint, String region,
                         String scheme) {
        this.scheme = scheme;
        this.dir = dir;
        this.ec2 = ec2;
        this.bootstrapTimeout = bootstrapTimeout;
        this.endpoint = endpoint;
        this.region = region;
    }

    @Override
    public void started(List<Instance> instances) {
        for (Instance instance : instances) {
            Path home = home(instance.instanceId());
            if (Files.exists(home.resolve("port"))) {
                continue;
            }
            String userData = AwsErrors.during("read the user-data of " + instance.instanceId(), () ->
                    ec2.describeInstanceAttribute(b -> b.instanceId(instance.instanceId())
                            .attribute(InstanceAttributeName.USER_DATA)).userData().value());
            boot(home, new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8));
        }
    }

    @Override
    public URI endpoint(Instance instance) {
        return local(instance.instanceId());
    }

    @Override
    public URI addressEndpoint(String publicIp, String instanceId) {
        return local(instanceId);
    }

    @Override
    public void terminated(Collection<String> instanceIds) {
        instanceIds.forEach(id -> stop(home(id)));
    }

    /** Stops every service this rehearsal started (the rehearsal's {@code down}, and tests' cleanup). */
    public void stopAll() {
        homes().forEach(RehearsalHost::stop);
    }

    /** Processes started by this rehearsal that are still alive. */
    public List<ProcessHandle> running() {
        List<ProcessHandle> alive = new ArrayList<>();
        homes().forEach(home -> service(home).ifPresent(alive::add));
        return alive;
    }

    private void boot(Path home, String userData) {
        try {
            Path root = home.resolve("root");
            Files.createDirectories(root);
            Path script = home.resolve("user-data.sh");
            Files.writeString(script, userData);
            int port = freePort();
            Files.writeString(home.resolve("port"), Integer.toString(port));
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("bootstrap.log").toFile());
            builder.environment().put("TALLY_ROOT", root.toString());
            builder.environment().put("TALLY_NO_SYSTEMD", "1");
            builder.environment().put("TALLY_PORT", Integer.toString(port));
            // Inherited by the service: a rehearsal listens on loopback only, not on every interface of the CI machine.
            builder.environment().put("TALLY_HOST", "127.0.0.1");
            // What an instance profile and the instance's metadata give on EC2: here the emulator and test keys.
            if (endpoint != null) {
                builder.environment().put("TALLY_S3_ENDPOINT", endpoint.toString());
            }
            builder.environment().put("AWS_ACCESS_KEY_ID", "rehearsal");
            builder.environment().put("AWS_SECRET_ACCESS_KEY", "rehearsal");
            builder.environment().put("AWS_REGION", region);
            Process bootstrap = builder.start();
            if (!bootstrap.waitFor(bootstrapTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                bootstrap.destroyForcibly();
            }
            // A failed bootstrap is not raised here: on EC2 nobody would see it either. The health gate
            // reports the instance as not ready, and bootstrap.log says why.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while booting " + home.getFileName(), e);
        }
    }

    private URI local(String instanceId) {
        Path portFile = home(instanceId).resolve("port");
        try {
            return URI.create(scheme + "://127.0.0.1:" + Files.readString(portFile).trim());
        } catch (IOException e) {
            throw new DeployException("instance " + instanceId + " was not started by the rehearsal in " + dir
                    + " (no " + portFile + ")", e);
        }
    }

    private Path home(String instanceId) {
        return dir.resolve("instances").resolve(instanceId);
    }

    private List<Path> homes() {
        Path instances = dir.resolve("instances");
        if (!Files.isDirectory(instances)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(instances)) {
            return list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int freePort() throws IOException {
        Set<String> taken = new HashSet<>();
        for (Path home : homes()) {
            Path portFile = home.resolve("port");
            if (Files.exists(portFile)) {
                taken.add(Files.readString(portFile).trim());
            }
        }
        for (int i = 0; i < 20; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (!taken.contains(Integer.toString(socket.getLocalPort()))) {
                    return socket.getLocalPort();
                }
            }
        }
        throw new IOException("no free loopback port");
    }

    /** The service process of one sandbox, if it still runs (checked by its command line, not only its pid). */
    private static Optional<ProcessHandle> service(Path home) {
        Path pidFile = home.resolve("root/run/tally/tally.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            String jar = home.resolve("root/opt/tally/lib/tally.jar").toString();
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().map(c -> c.contains(jar)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void stop(Path home) {
        service(home).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroy);
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                h.onExit().join();
            }
        });
    }
}
