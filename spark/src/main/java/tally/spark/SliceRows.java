package tally.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import scala.Tuple2;
import tally.job.JobConfig;
import tally.job.LineJob;
import tally.job.Outcome;

/**
 * The map side: one slice's lines through {@link LineJob}, as (key, row) pairs for the shuffle, and
 * last the slice's {@link PartialResult} under its marker key. Lazy: a row is read when the shuffle
 * asks for it, so a task holds one line at a time.
 */
final class SliceRows implements Iterator<Tuple2<RowKey, byte[]>> {
    private final InputSlice slice;
    private final LineReader reader;
    private final LineJob job;
    private Tuple2<RowKey, byte[]> next;
    private boolean done;

    private SliceRows(InputSlice slice, LineReader reader, JobConfig config) {
        this.slice = slice;
        this.reader = reader;
        this.job = new LineJob(config);
    }

    /** The rows of every slice {@code slices} gives (one, as the job plans its tasks). */
    static Iterator<Tuple2<RowKey, byte[]>> of(Iterator<InputSlice> slices, Configuration conf, JobConfig config) {
        return new Iterator<>() {
            private Iterator<Tuple2<RowKey, byte[]>> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && slices.hasNext()) {
                    InputSlice slice = slices.next();
                    try {
                        current = of(slice, conf, config);
                    } catch (IOException e) {
                        throw new UncheckedIOException("opening " + slice.path(), e);
                    }
                }
                return current.hasNext();
            }

            @Override
            public Tuple2<RowKey, byte[]> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** The rows of {@code slice}; the reader is closed at its end or when the task ends, whichever is first. */
    static Iterator<Tuple2<RowKey, byte[]>> of(InputSlice slice, Configuration conf, JobConfig config) throws IOException {
        LineReader reader = LineReader.open(new Path(slice.path()).getFileSystem(conf), slice, config.maxLineBytes());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> closeQuietly(reader));
        }
        return new SliceRows(slice, reader, config);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public Tuple2<RowKey, byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Tuple2<RowKey, byte[]> row = next;
        next = null;
        return row;
    }

    private Tuple2<RowKey, byte[]> advance() {
        try {
            while (reader.next()) {
                if (job.accept(reader.buffer(), reader.start(), reader.end()) == Outcome.KEPT) {
                    return new Tuple2<>(new RowKey(job.key(), slice.file(), reader.position()), job.row());
                }
            }
            done = true;
            reader.close();
            PartialResult partial = new PartialResult(job.aggregates(), reader.bytes());
            return new Tuple2<>(RowKey.marker(slice.index()), partial.toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + slice.path() + " from byte " + slice.start(), e);
        }
    }

    private static void closeQuietly(LineReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            // The task is over; its own outcome is what counts.
        }
    }
}
