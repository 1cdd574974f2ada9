package tally.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tally.job.JobConfig;
import tally.job.TagStatsJob;
import tally.sample.BookmarkGenerator;

/**
 * Bytes the job allocates per record, counting every thread: run it under Epsilon GC, which never frees,
 * so the heap's growth is exactly what was allocated.
 *
 * <p>Why not only {@code -prof gc}: JMH sums the allocation of threads alive at the end of an iteration,
 * and the job's parser threads end when it is closed, so with more than one parser thread most of the
 * allocation goes uncounted. With one thread both agree (5,220 B/record from JMH, 5,314 from this tool on
 * the same data, on a 2026-11-26 version of the job).
 *
 * <p>{@code java -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -XX:-UseTLAB -Xms4g -Xmx4g
 * -cp bench/target/benchmarks.jar tally.bench.JobAllocation THREADS} prints one JSON line.
 */
public final class JobAllocation {

    private JobAllocation() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: JobAllocation THREADS   (under -XX:+UseEpsilonGC -XX:-UseTLAB)");
            System.exit(2);
        }
        int threads = Integer.parseInt(args[0]);
        BookmarkGenerator generator = new BookmarkGenerator(2013);
        ByteArrayOutputStream out = new ByteArrayOutputStream(TagStatsJobBenchmark.RECORDS * 1_100);
        for (int i = 0; i < TagStatsJobBenchmark.RECORDS; i++) {
            out.write(generator.nextLine());
        }
        byte[] data = out.toByteArray();
        Path spillDir = Files.createTempDirectory("tally-bench-alloc");
        try {
            run(data, threads, spillDir); // the first pass also loads classes and fills caches
            long allocated = run(data, threads, spillDir);
            System.out.printf("{\"threads\": %d, \"records\": %d, \"bytes_per_record\": %.1f}%n",
                threads, TagStatsJobBenchmark.RECORDS, (double) allocated / TagStatsJobBenchmark.RECORDS);
        } finally {
            Files.deleteIfExists(spillDir);
        }
    }

    private static long run(byte[] data, int threads, Path spillDir) throws IOException {
        Runtime runtime = Runtime.getRuntime();
        long before = runtime.totalMemory() - runtime.freeMemory();
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults().withThreads(threads), spillDir)) {
            for (int offset = 0; offset < data.length; offset += TagStatsJobBenchmark.CHUNK_BYTES) {
                job.accept(data, offset, Math.min(TagStatsJobBenchmark.CHUNK_BYTES, data.length - offset));
            }
            job.finish(OutputStream.nullOutputStream());
        }
        return runtime.totalMemory() - runtime.freeMemory() - before;
    }
}
