package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Runs the job over bytes in a test, feeding them in chunks of a chosen size. */
record JobRun(byte[] rows, JobResult result) {

    static JobRun of(String input, Path spillDir) {
        return of(input.getBytes(UTF_8), JobConfig.defaults(), Integer.MAX_VALUE, spillDir);
    }

    static JobRun of(byte[] input, JobConfig config, int chunkSize, Path spillDir) {
        try (TagStatsJob job = new TagStatsJob(config, spillDir)) {
            for (int i = 0; i < input.length; i += chunkSize) {
                job.accept(input, i, Math.min(chunkSize, input.length - i));
            }
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            JobResult result = job.finish(rows);
            return new JobRun(rows.toByteArray(), result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String rowsText() {
        return new String(rows, UTF_8);
    }

    Counters counters() {
        return result.counters();
    }
}
