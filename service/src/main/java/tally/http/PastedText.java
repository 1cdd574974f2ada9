package tally.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The text a person pasted into the form's textarea, kept so that a refused no-script submission can
 * show the form again with it instead of an empty box. Only a short text that arrived whole is kept:
 * showing part of a long one would invite submitting it cut.
 */
public final class PastedText {
    /** Longer pastes are not shown again: the person still has them in their clipboard or editor. */
    static final int MAX_BYTES = 64 * 1024;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean tooLong;
    private boolean whole;

    /** Called by the multipart reader (on the upload's worker) for each piece of a text field. */
    synchronized void append(byte[] b, int off, int len) {
        if (tooLong || bytes.size() + len > MAX_BYTES) {
            tooLong = true;
            bytes.reset();
            return;
        }
        bytes.write(b, off, len);
    }

    /** The text field's part ended: what was appended is all of it. */
    synchronized void end() {
        whole = true;
    }

    /** The pasted text if it arrived whole and short enough, else "". */
    public synchronized String text() {
        return whole && !tooLong ? bytes.toString(StandardCharsets.UTF_8) : "";
    }
}
