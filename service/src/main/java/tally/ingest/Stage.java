package tally.ingest;

import java.io.IOException;

/**
 * One step of decoding an upload body (gzip, multipart) or its final consumer. Whoever calls
 * {@link #accept} hands over the array: the caller never writes to it again, so a stage may keep it
 * (the input writer does, on another thread) without copying.
 */
interface Stage {

    void accept(byte[] bytes, int offset, int length) throws IOException;

    /** The body ended; a decoder checks it was complete and ends its downstream. */
    void end() throws IOException;
}
