package tally;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tally.sample.BookmarkGenerator;
import tally.server.ServerConfig;
import tally.server.TallyServer;

/**
 * A short run of what the service does at start-up and on its common requests, made to record a
 * class-data-sharing archive:
 * {@code java -XX:ArchiveClassesAtExit=tally.jsa -cp tally.jar tally.StartupTraining}. A JVM started
 * with {@code -XX:SharedArchiveFile=tally.jsa} then maps those classes already parsed and verified
 * instead of loading about 3,400 of them from the jar: /readyz answered in 0.63-0.79 s instead of
 * 1.17-1.22 s (4 and 2 starts on a 2-core machine). The build writes service/target/tally.jsa and the
 * deploy bootstrap writes one on each instance, since an archive only fits the JDK build and the jar
 * file it was made with (any other JVM warns once and starts without it).
 */
public final class StartupTraining {
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private StartupTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tally-training-");
        try {
            Path data = dir.resolve("bookmarks.jsonl");
            try (var out = Files.newOutputStream(data)) {
                new BookmarkGenerator(2013).write(out, 256 << 10);
            }
            serve(dir.resolve("data"), data);
            Path rows = dir.resolve("rows.tsv");
            // Through the entry point, as `java -jar tally.jar stats` runs it.
            int exit = new Main(InputStream.nullInputStream(), OutputStream.nullOutputStream(), System.err, Map.of())
                    .run("stats", data.toString(), "--out", rows.toString(), "--summary", dir.resolve("summary.json").toString());
            if (exit != 0 || Files.size(rows) == 0) {
                throw new IllegalStateException("the stats command failed (exit " + exit + ")");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void serve(Path dataDir, Path data) throws IOException, InterruptedException {
        TallyServer server = TallyServer.start(ServerConfig.loopback(dataDir));
        try {
            URI base = server.baseUri();
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/readyz", "/healthz", "/version", "/metrics", "/", "/datasets", "/api/datasets")) {
                expect(http, HttpRequest.newBuilder(base.resolve(path)).build(), 200);
            }
            HttpRequest post = HttpRequest.newBuilder(base.resolve("/api/datasets?name=training"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofFile(data)).build();
            Matcher id = ID.matcher(expect(http, post, 201));
            if (!id.find()) {
                throw new IllegalStateException("no id in the upload's answer");
            }
            for (String path : List.of("/api/datasets/" + id.group(1), "/api/datasets/" + id.group(1) + "/rows.tsv",
                    "/datasets/" + id.group(1), "/api/datasets/nope")) {
                expect(http, HttpRequest.newBuilder(base.resolve(path)).build(), path.endsWith("nope") ? 404 : 200);
            }
        } finally {
            server.stop();
        }
    }

    private static String expect(HttpClient http, HttpRequest request, int status) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != status) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ", expected " + status + ": " + response.body());
        }
        return response.body();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
