package tally.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One object written as its bytes come, with bounded memory: bytes fill a buffer of one part; a full
 * buffer is sent as the next part of a multipart upload (started with the first full part) before
 * writing goes on, so a stream never holds more than one part, whatever the object's size. A stream
 * that ends before its first part is full becomes one plain PUT. {@link #close} completes the object;
 * {@link #abort} aborts the upload or deletes what was completed. S3 failures surface as
 * IOExceptions whose cause is the {@link StoreUnavailableException}.
 *
 * <p>Parts are 5 MiB, S3's smallest, for the first 1,000, then 10 MiB for the next 1,000, and so on:
 * within S3's 10,000 parts that reaches 270 GiB, far beyond the upload cap.
 */
final class S3PartStream extends OutputStream {
    static final int MIN_PART_BYTES = 5 << 20;
    private static final Logger LOG = Logger.getLogger(S3PartStream.class.getName());
    /** Small objects never allocate a whole part: the buffer starts here and doubles up to the part size. */
    private static final int FIRST_BUFFER_BYTES = 64 << 10;

    private final S3Objects s3;
    private final String key;
    private final List<CompletedPart> parts = new ArrayList<>();
    private byte[] buffer = new byte[FIRST_BUFFER_BYTES];
    private int buffered;
    private long size;
    private String uploadId;
    private boolean closed;
    private boolean completed;

    S3PartStream(S3Objects s3, String key) {
        this.s3 = s3;
        this.key = key;
    }

    static int partBytes(int partNumber) {
        return MIN_PART_BYTES * (1 + (partNumber - 1) / 1000);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream to " + key + " is closed");
        }
        int p = off;
        int left = len;
        while (left > 0) {
            int part = partBytes(parts.size() + 1);
            if (buffered == buffer.length && buffer.length < part) {
                buffer = java.util.Arrays.copyOf(buffer, Math.min(part, buffer.length * 2));
            }
            int n = Math.min(left, buffer.length - buffered);
            System.arraycopy(b, p, buffer, buffered, n);
            buffered += n;
            size += n;
            p += n;
            left -= n;
            if (buffered == part) {
                sendPart();
            }
        }
    }

    private void sendPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = s3.startMultipart(key);
            }
            parts.add(s3.uploadPart(key, uploadId, parts.size() + 1, buffer, buffered));
            buffered = 0;
        } catch (StoreUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Bytes written so far. */
    synchronized long size() {
        return size;
    }

    /** Completes the object (a no-op the second time). */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (uploadId == null) {
                s3.put(key, java.util.Arrays.copyOf(buffer, buffered), java.util.Map.of());
            } else {
                if (buffered > 0) {
                    sendPart();
                }
                s3.completeMultipart(key, uploadId, parts);
            }
            completed = true;
        } catch (StoreUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            buffer = null;
        }
    }

    /** Removes whatever this stream wrote; failures are logged (the sweep removes leftovers). */
    synchronized void abort() {
        closed = true;
        buffer = null;
        try {
            if (completed) {
                s3.delete(key);
            } else if (uploadId != null) {
                s3.abortMultipart(key, uploadId);
            }
        } catch (StoreUnavailableException e) {
            LOG.log(Level.WARNING, "could not remove " + key + "; the store's sweep will", e);
        }
    }
}
