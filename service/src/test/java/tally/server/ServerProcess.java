package tally.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as its own JVM ({@code tally.Main}, the production entry point) with a small heap, for
 * what an in-process server cannot show: bounded memory, SIGTERM and SIGKILL. Its log is kept for
 * assertions and printed when the process is closed.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Tally listening on (http://\\S+)");

    private final Process process;
    private final List<String> log = new ArrayList<>();
    private final CompletableFuture<URI> base = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readLog, "server-log");
        reader.setDaemon(true);
        reader.start();
    }

    static ServerProcess start(Path dataDir, String heap) throws IOException, InterruptedException {
        return start(dataDir, heap, List.of(), Map.of());
    }

    /** With more server options and environment variables (an S3 store and its credentials). */
    static ServerProcess start(Path dataDir, String heap, List<String> options, Map<String, String> env)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                "tally.Main", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        ServerProcess server = new ServerProcess(p);
        try {
            server.base.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("the server did not start; its log:\n" + server.log(), e);
        }
        return server;
    }

    private void readLog() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (log) {
                    log.add(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    base.complete(URI.create(m.group(1)));
                }
            }
        } catch (IOException e) {
            base.completeExceptionally(e);
        }
        base.completeExceptionally(new IllegalStateException("the server exited"));
    }

    URI baseUri() {
        return base.join();
    }

    String log() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** SIGTERM: the graceful stop. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook runs, files stay as they are. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
