package tally.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The page templates of the web-ui module, read from the classpath ({@code web/templates/}) once each. */
public final class Templates {

    private static final String ROOT = "web/templates/";

    private final ClassLoader loader;
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    public Templates(ClassLoader loader) {
        this.loader = loader;
    }

    public Html render(String name, Object model) {
        return parsed.computeIfAbsent(name, this::load).render(model);
    }

    private Template load(String name) {
        try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no template " + ROOT + name + " on the classpath");
            }
            return Template.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
