package tally.load;

/** A row that breaks the contract: the whole load stops and the table stays as it was. */
final class BadRowException extends Exception {
    private final long line;

    BadRowException(String source, long line, String what) {
        super(source + " line " + line + ": " + what);
        this.line = line;
    }

    /** The physical line (from 1) of the file or part where the bad row starts. */
    long line() {
        return line;
    }
}
