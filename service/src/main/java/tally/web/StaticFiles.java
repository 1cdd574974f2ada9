package tally.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Serves the web-ui module's static files ({@code web/static/} on the classpath) at
 * {@code /static/{file}}, from memory (they are a few kilobytes; read once, so the IO thread never
 * waits on the classpath).
 *
 * <p>Pages link each file as {@code /static/NAME?v=HASH}, HASH being a digest of its bytes: such a URL
 * names one exact content, so it may be cached for a year ({@code immutable}); a new release changes
 * the hash and browsers fetch the new file. A request without the current hash gets
 * {@code no-cache} with an ETag, so stale links still revalidate.
 */
public final class StaticFiles implements HttpHandler {

    private static final String ROOT = "web/static/";
    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private record Asset(byte[] bytes, String type, String hash) {}

    private final Map<String, Asset> assets = new HashMap<>();

    public StaticFiles(ClassLoader loader, List<String> names) {
        for (String name : names) {
            assets.put(name, read(loader, name));
        }
    }

    /** The fingerprinted URL of a static file; fails for a name that was not listed. */
    public String url(String name) {
        Asset asset = assets.get(name);
        if (asset == null) {
            throw new IllegalArgumentException("no static file " + name);
        }
        return "/static/" + name + "?v=" + asset.hash();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String name = exchange.getRelativePath().replaceFirst("^/+", "");
        Deque<String> file = exchange.getQueryParameters().get("file");
        if (file != null && !file.isEmpty()) {
            name = file.getFirst();
        }
        Asset asset = assets.get(name);
        if (asset == null) {
            exchange.setStatusCode(StatusCodes.NOT_FOUND);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send("No such file.");
            return;
        }
        String etag = '"' + asset.hash() + '"';
        exchange.getResponseHeaders().put(Headers.ETAG, etag);
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        Deque<String> version = exchange.getQueryParameters().get("v");
        boolean fingerprinted = version != null && asset.hash().equals(version.peekFirst());
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL,
                fingerprinted ? "public, max-age=31536000, immutable" : "no-cache");
        if (etag.equals(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
            exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, asset.type());
        exchange.getResponseSender().send(ByteBuffer.wrap(asset.bytes()));
    }

    private static Asset read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no static file " + ROOT + name + " on the classpath");
            }
            byte[] bytes = in.readAllBytes();
            String extension = name.substring(name.lastIndexOf('.') + 1);
            String type = TYPES.getOrDefault(extension, "application/octet-stream");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(bytes, type, HexFormat.of().formatHex(digest, 0, 6));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
