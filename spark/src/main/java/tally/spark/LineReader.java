package tally.spark;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The lines of one {@link InputSlice}, cut as docs/stats-contract.md, "Input", says: only LF ends a line
 * (Hadoop's {@code LineRecordReader} also ends one at a lone CR, and drops a UTF-8 byte-order mark
 * at the start of a file, so it is not used); the CR of a CRLF stays for {@code LineJob}, which
 * drops it; a last line without LF counts; the empty string after a final LF is not a line.
 *
 * <p>A line at most {@code maxLineBytes + 2} bytes long is handed over whole. A longer one is
 * handed over cut to that length and its remaining bytes are only counted: {@code LineJob} then
 * finds it {@code too_long} (with or without a CR at its end), so a task never holds more than that
 * much of one line, whatever the input.
 *
 * <p>A file starting with gzip's magic bytes is read whole, decompressed, by the slice that starts
 * at 0 (others of that file read nothing); positions and byte counts are then those of the
 * decompressed bytes, as {@code tally stats} counts them.
 */
public final class LineReader implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 << 10;

    private final InputStream in;
    private final long end;
    private final int cap;
    private final byte[] buf = new byte[BUFFER_BYTES];
    private int bufPos;
    private int bufLen;
    /** The input position of buf[bufPos]. */
    private long position;
    private boolean eof;

    private byte[] line = new byte[256];
    private byte[] lineBuf;
    private int lineStart;
    private int lineEnd;
    private long linePosition;
    private long bytes;

    private LineReader(InputStream in, long position, long end, int maxLineBytes) {
        this.in = in;
        this.position = position;
        this.end = end;
        this.cap = maxLineBytes + 2;
        this.eof = in == null;
    }

    /** Opens {@code slice}, positioned at its first line. */
    public static LineReader open(FileSystem fs, InputSlice slice, int maxLineBytes) throws IOException {
        Path path = new Path(slice.path());
        FSDataInputStream raw = fs.open(path);
        try {
            // By magic bytes only, as `tally stats` decides: a plain file named .gz is read plain (whole,
            // as its one slice covers it).
            if (startsWithGzipMagic(raw)) {
                if (slice.start() > 0) {
                    raw.close();
                    return new LineReader(null, 0, 0, maxLineBytes);
                }
                raw.seek(0);
                return new LineReader(new GZIPInputStream(raw, BUFFER_BYTES), 0, Long.MAX_VALUE, maxLineBytes);
            }
            if (slice.start() == 0) {
                return new LineReader(raw, 0, slice.end(), maxLineBytes);
            }
            // The line running across the slice's start belongs to the slice before: skip past its LF.
            raw.seek(slice.start() - 1);
            LineReader reader = new LineReader(raw, slice.start() - 1, slice.end(), maxLineBytes);
            reader.skipToLf();
            return reader;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean startsWithGzipMagic(FSDataInputStream raw) throws IOException {
        byte[] magic = new byte[2];
        try {
            raw.readFully(0, magic);
        } catch (EOFException e) {
            return false; // fewer than two bytes
        }
        return (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    }

    /**
     * Moves to the next line of the slice: false at its end. The line is {@link #buffer()}{@code
     * [start(), end())}, without its LF, valid until the next call.
     */
    public boolean next() throws IOException {
        if (position >= end || !fill()) {
            return false;
        }
        linePosition = position;
        int lf = indexOfLf(buf, bufPos, bufLen);
        if (lf >= 0 && lf - bufPos <= cap) {
            // The common case: the whole line is in the buffer; no copy.
            lineBuf = buf;
            lineStart = bufPos;
            lineEnd = lf;
            consume(lf + 1 - bufPos);
            return true;
        }
        // Across buffers, or longer than the cap: copied, up to the cap.
        int len = 0;
        while (true) {
            int stop = lf >= 0 ? lf : bufLen;
            int take = Math.min(stop - bufPos, cap - len);
            if (take > 0) {
                ensureLine(len + take);
                System.arraycopy(buf, bufPos, line, len, take);
                len += take;
            }
            consume(stop - bufPos + (lf >= 0 ? 1 : 0));
            if (lf >= 0 || !fill()) {
                break;
            }
            lf = indexOfLf(buf, bufPos, bufLen);
        }
        lineBuf = line;
        lineStart = 0;
        lineEnd = len;
        return true;
    }

    public byte[] buffer() {
        return lineBuf;
    }

    public int start() {
        return lineStart;
    }

    public int end() {
        return lineEnd;
    }

    /** The current line's position in its file (in the decompressed bytes of a gzip file). */
    public long position() {
        return linePosition;
    }

    /** The bytes of the lines read so far, with their LFs: the slice's share of the counters' {@code bytes}. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }

    private void skipToLf() throws IOException {
        while (fill()) {
            int lf = indexOfLf(buf, bufPos, bufLen);
            if (lf >= 0) {
                position += lf + 1 - bufPos;
                bufPos = lf + 1;
                return;
            }
            position += bufLen - bufPos;
            bufPos = bufLen;
        }
    }

    private void consume(int n) {
        bufPos += n;
        position += n;
        bytes += n;
    }

    /** Whether unread bytes are in the buffer, reading more if it is empty. */
    private boolean fill() throws IOException {
        while (bufPos == bufLen) {
            if (eof) {
                return false;
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            bufPos = 0;
            bufLen = n;
        }
        return true;
    }

    private void ensureLine(int size) {
        if (size > line.length) {
            line = java.util.Arrays.copyOf(line, (int) Math.min(cap, Math.max(size, 2L * line.length)));
        }
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
