package tally.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tally.job.Counters;
import tally.job.JobConfig;
import tally.job.TagStatsJob;
import tally.sample.BookmarkGenerator;

/** Datasets for the UI tests, made on the fly, with the counters the job itself finds in them. */
final class UiData {

    private UiData() {
    }

    /** A generated bookmark file of about {@code bytes} in {@code dir}. */
    static Path bookmarks(Path dir, String fileName, long seed, long bytes) throws IOException {
        Path file = dir.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(file)) {
            new BookmarkGenerator(seed).write(out, bytes);
        }
        return file;
    }

    /** What the job counts in a file: the truth the pages must show. */
    static Counters countersOf(Path file, Path spillDir) throws IOException {
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spillDir);
                InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                job.accept(buffer, 0, n);
            }
            return job.finish(OutputStream.nullOutputStream()).counters();
        }
    }

    /** A count as the pages print it. */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
