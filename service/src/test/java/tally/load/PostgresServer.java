package tally.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import tally.store.FileTree;

/**
 * A real PostgreSQL 15 for the db tests, one per test run: initdb into a fresh directory under the
 * temp dir, pg_ctl start on a free loopback port, stopped and deleted when the run ends. TCP logins
 * need the password {@link #PASSWORD} (scram-sha-256), so the tests prove the loader sends it.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: then initdb and pg_ctl run as the
 * {@code postgres} user the Debian package creates ({@code runuser -u postgres --}), in a directory
 * handed to that user. Binaries come from TALLY_PG_BIN, else /usr/lib/postgresql/15/bin. Without
 * them the tests are skipped, unless TALLY_REQUIRE_DB=1 (the pipeline's db stage): then they fail.
 */
public final class PostgresServer implements BeforeAllCallback, ParameterResolver {
    public static final String PASSWORD = "s3cret-tally-pw";
    private static final String KEY = "tally.postgres";
    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final int START_ATTEMPTS = 3;

    /** The running server; closed by JUnit when the whole run ends. */
    public record Instance(Path bin, Path dir, int port, List<String> runAs)
            implements ExtensionContext.Store.CloseableResource {
        /** The URL without a password: tests give it through PGPASSWORD or the URL's property. */
        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
        }

        public Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("password", PASSWORD);
            return DriverManager.getConnection(jdbcUrl(), properties);
        }

        @Override
        public void close() throws IOException {
            try {
                run(this, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m",
                        "immediate", "-w", "stop"));
            } finally {
                FileTree.delete(dir);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        instance(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Instance.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return instance(context);
    }

    private static Instance instance(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(KEY, k -> start(), Instance.class);
    }

    private static Instance start() {
        String configured = System.getenv("TALLY_PG_BIN");
        Path bin = configured == null || configured.isEmpty() ? DEFAULT_BIN : Path.of(configured);
        if (!Files.isExecutable(bin.resolve("initdb"))) {
            String reason = "no PostgreSQL at " + bin + " (apt-get install postgresql-15, or set TALLY_PG_BIN)";
            if ("1".equals(System.getenv("TALLY_REQUIRE_DB"))) {
                throw new IllegalStateException("TALLY_REQUIRE_DB=1 but " + reason);
            }
            System.err.println("db tests skipped: " + reason);
            Assumptions.abort(reason);
        }
        try {
            boolean root = isRoot();
            List<String> runAs = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
            Path dir = Files.createTempDirectory("tally-pg-");
            Files.writeString(dir.resolve("password"), PASSWORD + "\n", StandardCharsets.UTF_8);
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
                Files.setOwner(dir.resolve("password"), postgres);
            }
            Instance initialized = new Instance(bin, dir, 0, runAs);
            run(initialized, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U",
                    "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + dir.resolve("password"),
                    "-E", "UTF8", "--locale=C", "--no-sync"));
            return startOnFreePort(initialized);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A free port can be taken between the probe and the start (other suites run beside this one): retry. */
    private static Instance startOnFreePort(Instance initialized) throws IOException {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Instance instance = new Instance(initialized.bin(), initialized.dir(), port, initialized.runAs());
            // fsync off and no synchronous commit: a test server's data need not survive a crash.
            String options = "-p " + port + " -k " + initialized.dir() + " -c listen_addresses=127.0.0.1"
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
            try {
                run(instance, List.of(initialized.bin().resolve("pg_ctl").toString(), "-D",
                        initialized.dir().resolve("data").toString(), "-l", initialized.dir().resolve("server.log").toString(),
                        "-w", "-t", "60", "-o", options, "start"));
                return instance;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        FileTree.delete(initialized.dir());
        throw last;
    }

    private static boolean isRoot() throws IOException {
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        return Integer.valueOf(0).equals(uid);
    }

    /** Runs a PostgreSQL tool (as postgres when we are root); its output goes to the log file in dir. */
    private static void run(Instance instance, List<String> command) {
        List<String> full = new ArrayList<>(instance.runAs());
        full.addAll(command);
        Path log = instance.dir().resolve("tools.log");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                String output = Files.exists(log) ? Files.readString(log) : "";
                Path serverLog = instance.dir().resolve("server.log");
                if (Files.exists(serverLog)) {
                    output += Files.readString(serverLog);
                }
                throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue() + "):\n" + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
