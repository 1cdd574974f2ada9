package tally.spark;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.SummaryJson;
import tally.job.TagStatsJob;

/** The rows and summary bytes of a run: of the single-machine job in-process, or read back from an OUTDIR. */
record StatsRun(String rows, String summary) {

    /** What {@code tally stats --summary} gives for {@code input} (its decompressed bytes). */
    static StatsRun local(byte[] input, int maxLineBytes, Path spill) throws IOException {
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults().withMaxLineBytes(maxLineBytes), spill)) {
            job.accept(input, 0, input.length);
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            JobResult result = job.finish(rows);
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            SummaryJson.write(result.summary(), json);
            return new StatsRun(rows.toString(UTF_8), json.toString(UTF_8));
        }
    }

    /** The part files of {@code outDir} concatenated in name order, and its summary. */
    static StatsRun read(Path outDir) throws IOException {
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (Path part : parts(outDir)) {
            rows.write(Files.readAllBytes(part));
        }
        return new StatsRun(rows.toString(UTF_8), Files.readString(outDir.resolve("summary.json"), UTF_8));
    }

    static List<Path> parts(Path outDir) throws IOException {
        try (Stream<Path> files = Files.list(outDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList();
        }
    }
}
