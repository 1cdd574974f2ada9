package tally.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.jpountz.lz4.LZ4FrameOutputStream;
import tally.job.JobConfig;
import tally.job.TagStatsJob;
import tally.sample.BookmarkGenerator;

/**
 * Runs an upload's hot code (the job's parser and sorter, the input's LZ4 compression) on generated
 * records in the background while the server starts, so that the JIT has compiled it before the first
 * real upload needs it: a freshly started JVM otherwise runs the first upload interpreted while its
 * compilers compete with it for the cores. Nothing is stored; the thread stops when the data is done.
 */
public final class JitWarmUp {
    private static final Logger LOG = Logger.getLogger(JitWarmUp.class.getName());

    private JitWarmUp() {
    }

    /** Starts the warm-up over about {@code bytes} of records; 0 does nothing. */
    public static void start(long bytes) {
        if (bytes <= 0) {
            return;
        }
        Path spill = Path.of(System.getProperty("java.io.tmpdir"));
        Thread warm = new Thread(() -> run(bytes, spill), "tally-jit-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** The warm-up itself, on the calling thread; the job's sort may spill to {@code spill} (and removes what it wrote). */
    static void run(long bytes, Path spill) {
        long start = System.nanoTime();
        byte[] buffer = new byte[64 * 1024];
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), spill);
                InputStream records = new BookmarkGenerator(1).stream(bytes);
                OutputStream lz4 = new LZ4FrameOutputStream(OutputStream.nullOutputStream(),
                        LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB)) {
            for (int n = records.read(buffer); n >= 0; n = records.read(buffer)) {
                lz4.write(buffer, 0, n);
                job.accept(buffer, 0, n);
            }
            job.finish(OutputStream.nullOutputStream());
            LOG.fine(() -> String.format("JIT warm-up over %,d bytes took %d ms", bytes,
                    (System.nanoTime() - start) / 1_000_000));
        } catch (IOException | RuntimeException e) {
            // Only speed was at stake: the server works the same without it.
            LOG.log(Level.FINE, "JIT warm-up stopped", e);
        }
    }
}
