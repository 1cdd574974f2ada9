package tally.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Methods;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import tally.api.DatasetRoutes;
import tally.api.OpenApiDocument;
import tally.api.OpsRoutes;
import tally.auth.AccessGuard;
import tally.auth.Authentication;
import tally.auth.FailedAttempts;
import tally.auth.FileTokenSource;
import tally.auth.S3TokenSource;
import tally.auth.Sessions;
import tally.auth.TokenSource;
import tally.auth.Tokens;
import tally.http.AccessLog;
import tally.http.BuildVersion;
import tally.http.CrossSiteGuard;
import tally.http.DrainGate;
import tally.http.HostGuard;
import tally.http.StrictTransportSecurity;
import tally.http.Json;
import tally.http.Lifecycle;
import tally.http.Metrics;
import tally.http.Origins;
import tally.http.OffIoThread;
import tally.http.ProblemBoundary;
import tally.http.Problems;
import tally.http.RequestMetrics;
import tally.http.RouteTable;
import tally.ingest.Ingest;
import tally.ingest.IngestLimits;
import tally.job.JobConfig;
import tally.progress.ProgressHub;
import tally.progress.ProgressSocket;
import tally.store.DatasetStore;
import tally.store.FileDatasetStore;
import tally.store.S3Clients;
import tally.store.S3DatasetStore;
import tally.store.S3StoreSettings;
import tally.web.PageRoutes;

/**
 * The running service and the one place it is wired: {@link #start} builds the store, the upload
 * pipeline, the progress hub and the handler chain (access log, metrics, problem mapping, drain
 * gate, graceful shutdown, routes) and listens; {@link Main} and the tests both call it, so tests
 * exercise exactly what production runs. {@link #baseUri()} and {@link #port()} say where it
 * listens (port 0 in the config picks a free port); {@link #stop()} drains in-flight requests
 * (bounded by the configured drain timeout), closes WebSockets with 1001 and releases the threads.
 */
public final class TallyServer {
    private static final Logger LOG = Logger.getLogger(TallyServer.class.getName());

    private final ServerConfig config;
    private final Undertow undertow;
    private final GracefulShutdownHandler graceful;
    private final Lifecycle lifecycle;
    private final ProgressHub hub;
    private final DatasetStore store;
    private final ExecutorService workers;
    private final ExecutorService writers;
    private final ScheduledExecutorService scheduler;
    private final RouteTable routes;
    private final int port;

    private TallyServer(ServerConfig config) throws IOException {
        this.config = config;
        // Both read before anything starts: a bad certificate or token file stops the start with its reason.
        SSLContext tls = config.tls() ? TlsContext.load(PemLocation.read(config.tlsCert(), config.s3Endpoint()),
                config.tlsCert(), PemLocation.read(config.tlsKey(), config.s3Endpoint()), config.tlsKey()) : null;
        Tokens tokens = config.tokenFile() == null ? null : Tokens.open(tokenSource(config));
        ObjectMapper json = Json.mapper();
        this.lifecycle = new Lifecycle();
        this.store = openStore(config);
        Metrics metrics = new Metrics();
        Problems problems = new Problems(json, config.maxUploadBytes());
        ProblemBoundary.Factory boundary = new ProblemBoundary.Factory(problems);
        this.workers = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                daemon("tally-ingest"));
        this.writers = Executors.newCachedThreadPool(daemon("tally-input-writer"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("tally-progress"));
        this.hub = new ProgressHub(json, store, scheduler, config.maxProgressWatchers(), config.progressWaitLimit());
        IngestLimits limits = new IngestLimits(config.maxUploadBytes(), config.maxConcurrentUploads(),
                config.dataDir().resolve("spill"), JobConfig.defaults(), config.maxUploadsPerClient(),
                config.uploadIdleTimeout(), config.uploadMinBytesPerSecond());
        Ingest ingest = new Ingest(limits, store, hub, metrics, problems, json, lifecycle, workers, writers, scheduler);
        Authentication authentication = null;
        if (tokens != null) {
            authentication = new Authentication(tokens, new Sessions(Clock.systemUTC()),
                    new FailedAttempts(Clock.systemUTC()), metrics.authRefusals);
            // A token added to or removed from the list counts within a poll: a second for a file, 5 s in S3.
            long poll = tokens.source().pollEvery().toMillis();
            Runnable count = () -> {
                int expired = tokens.expired();
                metrics.authTokens.labelValues("live").set(tokens.size() - expired);
                metrics.authTokens.labelValues("expired").set(expired);
                metrics.authTokenListCurrent.set(tokens.current() ? 1 : 0);
            };
            count.run();
            scheduler.scheduleWithFixedDelay(() -> {
                tokens.reloadIfChanged();
                count.run();
            }, poll, poll, TimeUnit.MILLISECONDS);
        }

        // Unknown paths are answered 404, known paths with another method 405 with Allow (RouteTable). The probes
        // have a table of their own, which DrainGate uses past the graceful shutdown handler.
        this.routes = new RouteTable();
        RouteTable ops = new RouteTable();
        Origins origins = new Origins(config.allowedOrigins());
        new OpsRoutes(json, lifecycle, metrics, boundary, BuildVersion.current(),
                List.of(new FreeSpaceCheck(config.dataDir(), config.minFreeBytes()),
                        // A store that does not answer: no uploads here, so a load balancer should skip it.
                        () -> store.unavailable().orElse(null),
                        // A token list not read yet: every write would be refused.
                        () -> tokens == null ? null : tokens.notReadBecause())).addTo(ops);
        routes.addAll(ops);
        new DatasetRoutes(store, ingest, json, problems, boundary).addTo(routes);
        new OpenApiDocument(json, BuildVersion.current()).addTo(routes);
        // GET only: a WebSocket handshake has no HEAD form.
        routes.add(Methods.GET, "/ws/datasets/{id}", new ProgressSocket(hub, origins));
        new PageRoutes(store, ingest, config.maxUploadBytes(), json, BuildVersion.current(), authentication)
                .addTo(routes);

        // Expect: 100-continue (curl sends it for every body over 1 MB, and waits a second for the answer):
        // the 100 goes out when the upload starts reading the body, that is once the route, the content
        // type, the size and a free upload slot have been checked; a request refused before that gets
        // its final 4xx at once and the connection closes without the body being sent.
        this.graceful = Handlers.gracefulShutdown(Handlers.httpContinueRead(routes));
        HttpHandler drainGate = new DrainGate(lifecycle, ops, graceful);
        // Before the routes: an upload without a valid token is refused before its body is read.
        HttpHandler allowed = authentication == null ? drainGate
                : new AccessGuard(authentication, config.readAccess(), drainGate);
        HttpHandler handled = new ProblemBoundary(problems, new HostGuard(config.effectiveAllowedHosts(),
                new CrossSiteGuard(origins, allowed)));
        // A remote store's calls wait on the network: they must not hold one of the few IO threads.
        HttpHandler chain = new AccessLog(new RequestMetrics(metrics,
                store.isRemote() ? new OffIoThread(handled) : handled));
        if (tls != null) {
            chain = new StrictTransportSecurity(chain);
        }

        Undertow.Builder builder = Undertow.builder();
        if (tls == null) {
            builder.addHttpListener(config.port(), config.host());
        } else {
            // HTTP/2 is offered by ALPN during the TLS handshake; clients without it get HTTP/1.1.
            builder.addHttpsListener(config.port(), config.host(), tls)
                    .setServerOption(UndertowOptions.ENABLE_HTTP2, true);
        }
        this.undertow = builder
                // 64 KiB reads: a quarter of the dispatches per megabyte uploaded compared to the 16 KiB default.
                .setBufferSize(64 * 1024)
                .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, (int) config.drainTimeout().toMillis())
                // A request head must arrive in time (a half-sent head held its connection for ever), and a
                // keep-alive connection with no request is closed; a body that stalls is UploadWatchdog's.
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) config.requestHeadTimeout().toMillis())
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, (int) config.uploadIdleTimeout().toMillis())
                // Undertow's default body cap is 2 MiB (since 2.3.21). exchange.setMaxEntitySize() does not reach a
                // chunked body's checker, which is built from this option when the request is parsed: a chunked
                // 10 MB upload was cut at about 5 MB (UT000020, 2.3.27) with the per-exchange cap raised to 1 GiB.
                // So the option is the cap plus slack, and Upload enforces the exact cap itself, answering 413.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, config.maxUploadBytes() + (1 << 20))
                .setHandler(chain)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            // Typically the port is taken: release the threads started above before reporting it.
            scheduler.shutdownNow();
            workers.shutdownNow();
            writers.shutdownNow();
            store.close();
            throw new IOException("could not listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        this.port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        lifecycle.markReady();
    }

    private static TokenSource tokenSource(ServerConfig config) {
        String location = config.tokenFile();
        if (!S3TokenSource.isS3(location)) {
            return new FileTokenSource(Path.of(location));
        }
        String[] bucketAndKey = S3TokenSource.bucketAndKey(location);
        return new S3TokenSource(S3Clients.create(config.s3Endpoint()), bucketAndKey[0], bucketAndKey[1]);
    }

    private static DatasetStore openStore(ServerConfig config) throws IOException {
        S3StoreSettings s3 = config.s3Store();
        return s3 == null ? FileDatasetStore.open(config.dataDir()) : S3DatasetStore.open(s3);
    }

    /** Starts a server (see the class comment); throws if the port is taken or the data dir unusable. */
    public static TallyServer start(ServerConfig config) throws IOException {
        return new TallyServer(config);
    }

    public int port() {
        return port;
    }

    /** {@code http://HOST:PORT} ({@code https} with TLS), with a wildcard listen address replaced by 127.0.0.1. */
    public URI baseUri() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create((config.tls() ? "https://" : "http://") + host + ":" + port);
    }

    /** Every route, as path template to methods: what the API document is checked against. */
    Map<String, List<String>> routes() {
        return routes.methodsByTemplate();
    }

    public ServerConfig config() {
        return config;
    }

    public DatasetStore store() {
        return store;
    }

    /** Drains, then stops; safe to call twice. */
    public synchronized void stop() {
        if (lifecycle.isDraining() && workers.isShutdown()) {
            return;
        }
        lifecycle.markDraining();
        graceful.shutdown();
        try {
            if (!graceful.awaitShutdown(config.drainTimeout().toMillis())) {
                LOG.warning("in-flight requests did not finish within " + config.drainTimeout() + "; stopping anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hub.closeAll(1001, "server stopping");
        undertow.stop();
        scheduler.shutdownNow();
        try {
            store.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not release the data directory", e);
        }
        workers.shutdown();
        writers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.log(Level.FINE, "interrupted while stopping", e);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
