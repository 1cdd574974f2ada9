package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Where the rows come from: a file, standard input, a folder of Spark part files, or a Tally server's
 * dataset. Each source opens when its turn comes (a folder's parts one after another) and is
 * gunzipped when it starts with gzip's magic bytes (RFC 1952), whatever it is called.
 */
final class RowSources {
    /** One file, part or stream, named in error messages. */
    interface Source {
        String name();

        InputStream open() throws IOException, LoadException;
    }

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Enough of an error body to carry a problem's detail, not a whole page. */
    private static final int ERROR_BODY_BYTES = 2048;

    private RowSources() {
    }

    /** A file, or a folder's {@code part-*} files in name order (as Spark writes them). */
    static List<Source> path(Path path) throws LoadException {
        if (!Files.isDirectory(path)) {
            return List.of(file(path));
        }
        List<Path> parts = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(path, "part-*")) {
            for (Path part : listing) {
                if (Files.isRegularFile(part)) {
                    parts.add(part);
                }
            }
        } catch (IOException e) {
            throw new LoadException("cannot list " + path + ": " + e.getMessage(), e);
        }
        if (parts.isEmpty()) {
            throw new LoadException("no part-* files in " + path);
        }
        parts.sort(null);
        return parts.stream().map(RowSources::file).toList();
    }

    private static Source file(Path file) {
        return new Source() {
            @Override
            public String name() {
                return file.toString();
            }

            @Override
            public InputStream open() throws IOException, LoadException {
                try {
                    return gunzipped(Files.newInputStream(file));
                } catch (NoSuchFileException e) {
                    throw new LoadException("no such file: " + file, e);
                }
            }
        };
    }

    /** Standard input, left open for its owner. */
    static Source stdin(InputStream stdin) {
        return new Source() {
            @Override
            public String name() {
                return "stdin";
            }

            @Override
            public InputStream open() throws IOException {
                return gunzipped(new FilterInputStream(stdin) {
                    @Override
                    public void close() {
                        // Standard input belongs to the caller.
                    }
                });
            }
        };
    }

    /**
     * A Tally dataset's rows, {@code GET DATASET/rows.tsv}, read as they arrive: no temporary file.
     * {@code dataset} is {@code http://HOST:PORT/api/datasets/ID} (its rows.tsv URL works too).
     */
    static Source dataset(URI dataset) throws LoadException {
        String scheme = dataset.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || dataset.getHost() == null) {
            throw new LoadException("--from takes an http(s) URL such as http://HOST:PORT/api/datasets/ID, not " + dataset);
        }
        String text = dataset.toString().replaceAll("/+$", "");
        URI rows = URI.create(text.endsWith("/rows.tsv") ? text : text + "/rows.tsv");
        return new Source() {
            @Override
            public String name() {
                return rows.toString();
            }

            @Override
            public InputStream open() throws IOException, LoadException {
                // HTTP/1.1: the default HTTP/2 would first try an h2c upgrade.
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
                HttpResponse<InputStream> response;
                try {
                    response = http.send(HttpRequest.newBuilder(rows).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LoadException("interrupted while asking " + rows, e);
                } catch (IOException e) {
                    throw new LoadException("cannot GET " + rows + ": " + describe(e), e);
                }
                if (response.statusCode() != 200) {
                    String body;
                    try (InputStream in = response.body()) {
                        body = new String(in.readNBytes(ERROR_BODY_BYTES), UTF_8).strip();
                    }
                    throw new LoadException("GET " + rows + " answered " + response.statusCode()
                            + (body.isEmpty() ? "" : ": " + body));
                }
                return gunzipped(response.body());
            }
        };
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    static InputStream gunzipped(InputStream raw) throws IOException {
        PushbackInputStream in = new PushbackInputStream(raw, 2);
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        if (magic.length == 2 && (magic[0] & 0xff) == GZIP_MAGIC_1 && (magic[1] & 0xff) == GZIP_MAGIC_2) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }
}
