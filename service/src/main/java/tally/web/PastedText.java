package tally.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tally.ingest.TextFieldCopy;

/**
 * The text a person pasted into the form's textarea, kept so that a refused no-script submission can
 * show the form again with it instead of an empty box. Only a short text that arrived whole is kept:
 * showing part of a long one would invite submitting it cut.
 */
public final class PastedText implements TextFieldCopy {
    /** Longer pastes are not shown again: the person still has them in their clipboard or editor. */
    public static final int MAX_BYTES = 64 * 1024;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean tooLong;
    private boolean whole;

    @Override
    public synchronized void append(byte[] b, int off, int len) {
        if (tooLong || bytes.size() + len > MAX_BYTES) {
            tooLong = true;
            bytes.reset();
            return;
        }
        bytes.write(b, off, len);
    }

    @Override
    public synchronized void end() {
        whole = true;
    }

    /** The pasted text if it arrived whole and short enough, else "". */
    public synchronized String text() {
        return whole && !tooLong ? bytes.toString(StandardCharsets.UTF_8) : "";
    }
}
