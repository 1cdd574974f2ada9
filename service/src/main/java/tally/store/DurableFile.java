package tally.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file written under a temporary name and published by {@link #commit}: flush, fsync, atomic
 * rename. Until then readers see either nothing or the previous version, never a torn file.
 * The directory entry itself is made durable by {@link #syncDirectory}.
 */
final class DurableFile {
    private static final int BUFFER_BYTES = 256 * 1024;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream stream;
    private long written;

    DurableFile(Path target) throws IOException {
        this.target = target;
        this.temp = target.resolveSibling(target.getFileName() + ".part");
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        OutputStream raw = Channels.newOutputStream(channel);
        // Closing the stream must not close the channel: commit() still needs it to fsync.
        this.stream = new BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                raw.write(b);
                written++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                raw.write(b, off, len);
                written += len;
            }
        }, BUFFER_BYTES);
    }

    OutputStream stream() {
        return stream;
    }

    /** Bytes that reached the file so far (after the buffer). */
    long size() {
        return written;
    }

    /** Flushes and fsyncs what was written so far; a commit after it has little left to sync. */
    void sync() throws IOException {
        stream.flush();
        channel.force(true);
    }

    void commit() throws IOException {
        sync();
        channel.close();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void discard() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Deleting below is what matters.
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // A leftover .part file is removed by the next start-up.
        }
    }

    static void write(Path target, byte[] content) throws IOException {
        DurableFile file = new DurableFile(target);
        try {
            file.stream().write(content);
            file.commit();
        } catch (IOException | RuntimeException e) {
            file.discard();
            throw e;
        }
    }

    /** fsync of a directory makes renames and creations in it durable (on Linux; a no-op elsewhere). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").toLowerCase().contains("win")) {
                throw e;
            }
        }
    }
}
