package tally.server;

import java.io.ByteArrayOutputStream;

/** The little DER (ITU-T X.690) that {@link PemKey} needs: one element's header, and writing one. */
final class Der {
    private Der() {
    }

    /** The tag, the content's length and where the content starts, of the element at {@code at}. */
    static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = der[at] & 0xff;
        int first = der[at + 1] & 0xff;
        int start = at + 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3 || start + bytes > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += bytes;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new int[] {tag, length, start};
    }

    /** A tag, the definite length of {@code content}, then the content. */
    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
