package tally.spark;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import scala.Tuple2;
import tally.job.JobConfig;

/**
 * The reduce side: one partition's sorted pairs, the markers' partial results first (merged), then
 * the rows, written to a part file named after the task attempt. The driver renames the file of the
 * attempt whose report it received ({@link OutputCommit}), so a retried or speculative attempt never
 * writes over the part that counts.
 */
final class PartWriter {
    private static final int BUFFER_BYTES = 1 << 16;

    private PartWriter() {
    }

    static Iterator<WrittenParts> write(int partition, Iterator<Tuple2<RowKey, byte[]>> pairs, String attemptsDir,
            Configuration conf, JobConfig config) throws IOException {
        TaskContext task = TaskContext.get();
        long attempt = task == null ? 0 : task.taskAttemptId();
        Path file = new Path(attemptsDir, OutputCommit.partName(partition) + "." + attempt);
        PartialResult merged = PartialResult.empty(config);
        long rows = 0;
        try (OutputStream out = new BufferedOutputStream(file.getFileSystem(conf).create(file, false), BUFFER_BYTES)) {
            while (pairs.hasNext()) {
                Tuple2<RowKey, byte[]> pair = pairs.next();
                if (pair._1().isMarker()) {
                    merged.merge(PartialResult.fromBytes(pair._2()));
                } else {
                    out.write(pair._2());
                    rows++;
                }
            }
        }
        return List.of(new WrittenParts(partition, file.toString(), rows, merged)).iterator();
    }
}
