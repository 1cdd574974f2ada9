package tally.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * Writes an upload's input to the store on a thread of its own, so that compressing and writing
 * one chunk overlaps parsing the next (the disk is a floor for a durable upload, the parser
 * another; doing both on one thread adds them up). The queue is bounded: when the disk falls behind,
 * {@link #write} blocks the worker, which in turn keeps the receiver paused, so the client slows down.
 */
final class InputSpooler {
    /**
     * The queue is bounded in bytes, not chunks: the upload hands over pieces of about 1 MiB
     * ({@link Upload#PIECE_BYTES}), gzip and multipart bodies smaller ones.
     */
    private static final int QUEUED_BYTES = 8 << 20;
    private static final Chunk END = new Chunk(new byte[0], 0, 0);

    private record Chunk(byte[] bytes, int offset, int length) {
    }

    private final OutputStream out;
    private final BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(QUEUED_BYTES);
    private final CountDownLatch drained = new CountDownLatch(1);
    private volatile IOException failure;
    private volatile boolean aborted;
    /** END is queued. Set by the upload, whose calls may come from different threads, one after another. */
    private volatile boolean ended;

    InputSpooler(OutputStream out, Executor writers) {
        this.out = out;
        writers.execute(this::drain);
    }

    /** Queues the bytes (the array is not copied: the caller must not change it afterwards). */
    void write(byte[] bytes, int offset, int length) throws IOException {
        throwIfFailed();
        put(new Chunk(bytes, offset, length));
    }

    /**
     * No more input: the writer closes the stream once it has written what is queued, while the caller goes
     * on (an upload finishes its job meanwhile). Calling it again does nothing.
     */
    void endInput() throws IOException {
        if (!ended) {
            ended = true;
            put(END);
        }
    }

    /** Waits until every queued byte reached the stream, which is then closed. */
    void finish() throws IOException {
        endInput();
        try {
            drained.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing the input");
        }
        throwIfFailed();
    }

    /** Stops writing; queued bytes are dropped. Returns once the writer thread let go of the stream. */
    void abort() {
        aborted = true;
        queue.clear();
        room.release(QUEUED_BYTES); // a producer still waiting for room must not wait forever
        // add, not offer: the queue is unbounded (room bounds the bytes), so it cannot be full; if it ever
        // were, an exception beats an END dropped in silence and this method waiting forever below.
        queue.add(END);
        try {
            drained.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Chunk chunk) throws InterruptedIOException {
        try {
            room.acquire(cost(chunk));
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while storing the input");
        }
    }

    private static int cost(Chunk chunk) {
        return Math.min(chunk.length, QUEUED_BYTES);
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException("could not store the input: " + failure.getMessage(), failure);
        }
    }

    private void drain() {
        try {
            while (true) {
                Chunk chunk = queue.take();
                if (chunk == END) {
                    if (!aborted && failure == null) {
                        writeOrRemember(null);
                    }
                    return;
                }
                if (!aborted && failure == null) {
                    writeOrRemember(chunk);
                }
                room.release(cost(chunk));
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("input writer interrupted");
        } finally {
            drained.countDown();
        }
    }

    /** After a failure the loop keeps taking (and dropping) chunks so that producers never block. */
    private void writeOrRemember(Chunk chunk) {
        try {
            if (chunk == null) {
                out.close();
            } else {
                out.write(chunk.bytes, chunk.offset, chunk.length);
            }
        } catch (IOException e) {
            failure = e;
        }
    }
}
