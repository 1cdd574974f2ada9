package tally.store;

/** A dataset with this id already exists (or is being uploaded): the HTTP layer answers 409. */
public final class DatasetExistsException extends RuntimeException {
    public DatasetExistsException(String id) {
        super("dataset '" + id + "' already exists");
    }
}
