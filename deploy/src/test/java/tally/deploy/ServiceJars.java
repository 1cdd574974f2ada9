package tally.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Release jars for the tests, made from the real service jar (built by the reactor before this module):
 * a copy whose {@code tally-version.properties} says another version, and a broken one.
 */
final class ServiceJars {
    static final Path SERVICE_JAR = Path.of("../service/target/tally.jar");

    private ServiceJars() {
    }

    /** The real service, reporting {@code version} on /version. */
    static Path withVersion(Path dir, String version) throws IOException {
        return rewrite(dir.resolve("tally-" + version + ".jar"), version, false);
    }

    /**
     * A release that never becomes ready: the real jar with the version rewritten (so its bytes and sha256
     * differ) and {@code Main-Class} removed from the manifest, so {@code java -jar} exits at once with
     * "no main manifest attribute" and the instance never answers /readyz.
     */
    static Path broken(Path dir, String version) throws IOException {
        return rewrite(dir.resolve("tally-" + version + "-broken.jar"), version, true);
    }

    private static Path rewrite(Path target, String version, boolean dropMainClass) throws IOException {
        if (!Files.isRegularFile(SERVICE_JAR)) {
            throw new IllegalStateException(SERVICE_JAR.toAbsolutePath() + " is missing: mvn -pl service -am package -DskipTests");
        }
        Files.createDirectories(target.getParent());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(SERVICE_JAR));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                switch (entry.getName()) {
                    case "tally-version.properties" -> out.write(("version=" + version + "\ncommit=test\n").getBytes(StandardCharsets.UTF_8));
                    case "META-INF/MANIFEST.MF" -> manifest(in, out, dropMainClass);
                    default -> in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return target;
    }

    private static void manifest(InputStream in, OutputStream out, boolean dropMainClass) throws IOException {
        Manifest manifest = new Manifest(in);
        if (dropMainClass) {
            manifest.getMainAttributes().remove(Attributes.Name.MAIN_CLASS);
        }
        manifest.write(out);
    }
}
