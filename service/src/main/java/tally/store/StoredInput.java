package tally.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * A dataset's input as every store keeps it: LZ4 frames of 4 MiB blocks, about 5x faster than gzip here, so
 * storing the input never limits an upload. The stores share the format, so {@code migrate-store} copies
 * the stored bytes as they are. Writing counts the original bytes; closing twice is harmless (a commit
 * closes it, and so may an abort after a failed commit).
 */
final class StoredInput extends OutputStream {
    /** What makes the stored bytes durable once the last frame is written. */
    @FunctionalInterface
    interface Durability {
        void sync() throws IOException;
    }

    private final LZ4FrameOutputStream lz4;
    private final Durability durability;
    private long originalBytes;
    private boolean closed;

    /**
     * @param durability run when the input is closed: an upload closes it on its writer thread as soon as the
     *     body has ended, so the fsync overlaps the job's sorting and writing of the rows instead of
     *     following it at the commit
     */
    StoredInput(OutputStream stored, Durability durability) throws IOException {
        this.lz4 = new LZ4FrameOutputStream(stored, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB);
        this.durability = durability;
    }

    /** The original bytes of {@code stored}, read through a buffer large enough for whole frames' headers. */
    static InputStream open(InputStream stored) throws IOException {
        return new LZ4FrameInputStream(new BufferedInputStream(stored, 256 * 1024));
    }

    @Override
    public void write(int b) throws IOException {
        lz4.write(b);
        originalBytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        lz4.write(b, off, len);
        originalBytes += len;
    }

    /** The bytes written so far, before compression. */
    long originalBytes() {
        return originalBytes;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            lz4.close();
            durability.sync();
        }
    }
}
