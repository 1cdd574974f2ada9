package tally.ingest;

/**
 * Receives a copy of the bytes of a multipart upload's text fields as the pipeline reads them (the web
 * form keeps a short paste to show a refused submission again). Called on the upload's worker thread.
 */
public interface TextFieldCopy {
    /** A piece of the current text field, in order. */
    void append(byte[] b, int off, int len);

    /** The current text field's part ended: all of it was appended. */
    void end();
}
