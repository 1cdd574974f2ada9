package tally.ingest;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import tally.http.Problem;
import tally.http.ProblemException;

/**
 * Push-mode gzip decoding (RFC 1952, several members allowed, CRC and size checked): the body
 * arrives in chunks on a callback, so {@code GZIPInputStream}, which pulls and blocks, does not fit.
 * Header and trailer bytes split across chunks are carried over to the next chunk.
 */
final class GzipStage implements Stage {
    private static final int OUT_BYTES = 64 * 1024;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum State { HEADER, BODY, TRAILER }

    private final Stage next;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private State state = State.HEADER;
    private byte[] carry = new byte[0];
    private byte[] out = new byte[OUT_BYTES];
    private long memberBytes;
    private boolean sawMember;

    GzipStage(Stage next) {
        this.next = next;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) throws IOException {
        byte[] buf = bytes;
        int pos = offset;
        int end = offset + length;
        if (carry.length > 0) {
            buf = Arrays.copyOf(carry, carry.length + length);
            System.arraycopy(bytes, offset, buf, carry.length, length);
            pos = 0;
            end = buf.length;
            carry = new byte[0];
        }
        while (pos < end) {
            switch (state) {
                case HEADER -> {
                    int n = headerLength(buf, pos, end);
                    if (n < 0) {
                        carry = Arrays.copyOfRange(buf, pos, end);
                        return;
                    }
                    pos += n;
                    inflater.reset();
                    crc.reset();
                    memberBytes = 0;
                    sawMember = true;
                    state = State.BODY;
                }
                case BODY -> pos = inflate(buf, pos, end);
                case TRAILER -> {
                    if (end - pos < 8) {
                        carry = Arrays.copyOfRange(buf, pos, end);
                        return;
                    }
                    if (le32(buf, pos) != crc.getValue() || le32(buf, pos + 4) != (memberBytes & 0xffffffffL)) {
                        throw bad("its checksum does not match (the file is damaged)");
                    }
                    pos += 8;
                    state = State.HEADER;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private int inflate(byte[] buf, int pos, int end) throws IOException {
        inflater.setInput(buf, pos, end - pos);
        try {
            while (true) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    crc.update(out, 0, n);
                    memberBytes += n;
                    next.accept(out, 0, n);
                    out = new byte[OUT_BYTES];
                }
                if (inflater.finished()) {
                    state = State.TRAILER;
                    return end - inflater.getRemaining();
                }
                if (n == 0 && inflater.needsInput()) {
                    return end;
                }
                if (inflater.needsDictionary()) {
                    throw bad("it needs a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw bad(e.getMessage());
        }
    }

    @Override
    public void end() throws IOException {
        inflater.end();
        if (!sawMember || state != State.HEADER || carry.length > 0) {
            throw bad("it ends early (truncated)");
        }
        next.end();
    }

    /** Length of a complete member header at {@code pos}, or -1 if more bytes are needed. */
    private static int headerLength(byte[] b, int pos, int end) {
        if (end - pos < 10) {
            if ((end - pos >= 1 && (b[pos] & 0xff) != 0x1f) || (end - pos >= 2 && (b[pos + 1] & 0xff) != 0x8b)) {
                throw bad("it does not start with the gzip magic bytes");
            }
            return -1;
        }
        if ((b[pos] & 0xff) != 0x1f || (b[pos + 1] & 0xff) != 0x8b) {
            throw bad("it does not start with the gzip magic bytes");
        }
        if (b[pos + 2] != 8) {
            throw bad("it uses an unknown compression method");
        }
        int flags = b[pos + 3] & 0xff;
        int p = pos + 10;
        if ((flags & FEXTRA) != 0) {
            if (end - p < 2) {
                return -1;
            }
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (p < end && b[p] != 0) {
                    p++;
                }
                if (p >= end) {
                    return -1;
                }
                p++;
            }
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        return p <= end ? p - pos : -1;
    }

    private static long le32(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }

    private static ProblemException bad(String why) {
        return Problem.badRequest("the body was declared gzip but " + why).toException();
    }
}
