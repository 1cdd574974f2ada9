package tally.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.TagStatsJob;
import tally.sample.BookmarkGenerator;

/**
 * The tag-stats job over bytes already in memory: no disk, no network, no JVM start.
 *
 * <p>One operation is one record, so the score is records per second and {@code -prof gc}'s
 * {@code gc.alloc.rate.norm} is bytes allocated per record. The {@code inputBytes} counter is the input
 * rate in bytes per second (divide by 10^6 for MB/s). Run: {@code java -jar bench/target/benchmarks.jar
 * TagStatsJobBenchmark -prof gc}.
 *
 * <p>{@code threads = 1} parses on the calling thread: one core, and an exact allocation count.
 * With more, the job's own parser threads do the parsing; they end when the job is closed, inside the
 * iteration, and {@code -prof gc} counts only threads still alive at its end, so its allocation figure
 * then misses theirs: read the allocation per record from the one-thread run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TagStatsJobBenchmark {

    /** About 67 MB of the generator's records (1,030 bytes on average), 1% of them bad lines. */
    static final int RECORDS = 65_536;

    /** Undertow hands the service about 16 KiB per read (Receiver.receivePartialBytes, measured); the file mode reads larger blocks. */
    static final int CHUNK_BYTES = 16_384;

    /** Parser threads of the job; 2 is the default on these 2-core machines. */
    @Param({"1", "2"})
    public int threads;

    private byte[] data;
    private Path spillDir;

    /** Counted per invocation, reported by JMH as a rate: the input in bytes per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Input {
        public long inputBytes;
    }

    @Setup(Level.Trial)
    public void generate() throws IOException {
        BookmarkGenerator generator = new BookmarkGenerator(2013);
        ByteArrayOutputStream out = new ByteArrayOutputStream(RECORDS * 1_100);
        for (int i = 0; i < RECORDS; i++) {
            out.write(generator.nextLine());
        }
        data = out.toByteArray();
        spillDir = Files.createTempDirectory("tally-bench-spill");
    }

    @TearDown(Level.Trial)
    public void removeSpillDir() throws IOException {
        Files.deleteIfExists(spillDir);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public JobResult job(Input input) throws IOException {
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults().withThreads(threads), spillDir)) {
            for (int offset = 0; offset < data.length; offset += CHUNK_BYTES) {
                job.accept(data, offset, Math.min(CHUNK_BYTES, data.length - offset));
            }
            JobResult result = job.finish(OutputStream.nullOutputStream());
            input.inputBytes += data.length;
            return result;
        }
    }
}
