package tally.load;

/** A load that could not be done, said in one line for stderr (exit code 1); the table is as it was. */
final class LoadException extends Exception {
    LoadException(String message) {
        super(message);
    }

    LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
