package tally.ingest;

import io.undertow.connector.ByteBufferPool;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.MultipartParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tally.http.Problem;

/**
 * Streams a {@code multipart/form-data} body. Undertow's own form parser spools file parts to disk
 * and answers after the whole body; this one feeds {@link MultipartParser} chunk by chunk instead.
 *
 * <p>Data parts are those with a {@code filename} and the text fields named in {@code textFields}
 * (a pasted dataset); their bytes are joined in order (with a LF between parts when one does not end
 * with one), and a part whose file name ends in {@code .gz} or whose type is gzip is decompressed.
 * Other parts are small form fields, collected (up to 64 KiB in all) and handed to
 * {@link DataTarget#check} when the first data part begins, before any data byte is passed on: that is
 * where a CSRF token is checked.
 *
 * <p>Undertow's parser keeps a part's header lines in memory until the blank line that ends them, with
 * no limit of its own (a 300 MB header line took the heap): this stage feeds it in slices and refuses a
 * body that goes {@link #MAX_QUIET_BYTES} without a part starting or data flowing, which bounds the
 * headers and the preamble alike, and a body of more than {@link #MAX_PARTS} parts.
 */
final class MultipartStage implements Stage {
    private static final int MAX_FIELD_BYTES = 64 * 1024;
    /** Bytes the parser may take without an event (a part beginning, data, a part ending): headers, preamble. */
    static final int MAX_QUIET_BYTES = 64 * 1024;
    /** A browser's form has a handful; joined file parts a few more. */
    static final int MAX_PARTS = 1000;
    /** The slice fed to the parser at a time, so that quiet bytes are counted before they pile up. */
    private static final int SLICE = 8 * 1024;

    /** Where data parts go; opened once, with the fields seen before the first data part. */
    interface DataTarget {
        /** Throws a {@link ProblemException} to refuse the upload before any data byte is read. */
        void check(Map<String, String> fields);

        Stage open(Map<String, String> fields, String filename) throws IOException;
    }

    private final MultipartParser.ParseState parser;
    private final Set<String> textFields;
    private final TextFieldCopy pasted;
    private final DataTarget target;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private int fieldBytes;
    private String fieldName;
    private Joined joined;
    private Stage part;
    /** The current part is a pasted text field whose bytes {@link #pasted} keeps too. */
    private boolean pasting;
    /** Bytes fed since the parser last reported an event; and whether it reported one in the current slice. */
    private int quietBytes;
    private boolean event;
    private int parts;

    MultipartStage(String boundary, ByteBufferPool pool, Set<String> textFields, TextFieldCopy pasted, DataTarget target) {
        this.textFields = textFields;
        this.pasted = pasted;
        this.target = target;
        this.parser = MultipartParser.beginParse(pool, new Parts(),
                boundary.getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8.name());
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) throws IOException {
        try {
            for (int at = offset, end = offset + length; at < end; at += SLICE) {
                int n = Math.min(SLICE, end - at);
                event = false;
                parser.parse(ByteBuffer.wrap(bytes, at, n));
                quietBytes = event ? 0 : quietBytes + n;
                if (quietBytes > MAX_QUIET_BYTES) {
                    throw Problem.badRequest("a multipart part's headers (or the text before the first part) exceed "
                            + MAX_QUIET_BYTES + " bytes").toException();
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IOException e) {
            throw Problem.badRequest("the multipart body is malformed: " + e.getMessage()).toException();
        } catch (IllegalArgumentException e) {
            // Undertow's parser refuses a part header that is not header text this way (found by fuzzing).
            throw Problem.badRequest("the multipart body is malformed: a part's header holds bytes that are not "
                    + "header text").toException();
        }
    }

    @Override
    public void end() throws IOException {
        if (!parser.isComplete()) {
            throw Problem.badRequest("the multipart body ended before its closing boundary").toException();
        }
        if (joined == null) {
            target.check(fields);
            throw Problem.badRequest("the form has no file part: send the dataset as a file field").toException();
        }
        joined.next.end();
    }

    private final class Parts implements MultipartParser.PartHandler {
        @Override
        public void beginPart(HeaderMap headers) {
            event = true;
            if (++parts > MAX_PARTS) {
                throw Problem.badRequest("the multipart body has more than " + MAX_PARTS + " parts").toException();
            }
            String disposition = headers.getFirst(Headers.CONTENT_DISPOSITION);
            String name = disposition == null ? null : Headers.extractQuotedValueFromHeader(disposition, "name");
            String filename = disposition == null ? null
                    : Headers.extractQuotedValueFromHeader(disposition, "filename");
            if (filename != null || (name != null && textFields.contains(name))) {
                try {
                    if (joined == null) {
                        target.check(fields);
                        joined = new Joined(target.open(Map.copyOf(fields), filename));
                    }
                    joined.beginPart();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                String type = headers.getFirst(Headers.CONTENT_TYPE);
                boolean gzip = (filename != null && filename.toLowerCase(Locale.ROOT).endsWith(".gz"))
                        || (type != null && type.toLowerCase(Locale.ROOT).contains("gzip"));
                part = gzip ? new GzipStage(joined) : joined;
                pasting = filename == null && pasted != null;
                fieldName = null;
            } else {
                part = null;
                fieldName = name;
                field.reset();
            }
        }

        @Override
        public void data(ByteBuffer buffer) throws IOException {
            event = true;
            int n = buffer.remaining();
            if (part != null) {
                byte[] copy = new byte[n];
                buffer.get(copy);
                if (pasting) {
                    pasted.append(copy, 0, n);
                }
                part.accept(copy, 0, n);
                return;
            }
            fieldBytes += n;
            if (fieldBytes > MAX_FIELD_BYTES) {
                throw Problem.badRequest("form fields other than the file exceed " + MAX_FIELD_BYTES + " bytes")
                        .toException();
            }
            byte[] copy = new byte[n];
            buffer.get(copy);
            field.write(copy);
        }

        @Override
        public void endPart() {
            event = true;
            try {
                if (part instanceof GzipStage gzip) {
                    gzip.end();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (fieldName != null) {
                fields.put(fieldName, field.toString(StandardCharsets.UTF_8));
            }
            if (pasting) {
                pasted.end();
                pasting = false;
            }
            part = null;
            fieldName = null;
        }
    }

    /** Joins data parts, adding a LF between two parts when the first does not end with one. */
    private static final class Joined implements Stage {
        private final Stage next;
        private boolean any;
        private byte last = '\n';

        Joined(Stage next) {
            this.next = next;
        }

        void beginPart() throws IOException {
            if (any && last != '\n') {
                next.accept(new byte[] {'\n'}, 0, 1);
                last = '\n';
            }
        }

        @Override
        public void accept(byte[] bytes, int offset, int length) throws IOException {
            if (length > 0) {
                any = true;
                last = bytes[offset + length - 1];
                next.accept(bytes, offset, length);
            }
        }

        @Override
        public void end() {
            // Parts end one by one; the whole ends in MultipartStage.end().
        }
    }
}
