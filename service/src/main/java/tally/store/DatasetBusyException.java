package tally.store;

/** The dataset is still being uploaded, so it cannot be deleted yet: the HTTP layer answers 409. */
public final class DatasetBusyException extends RuntimeException {
    public DatasetBusyException(String id) {
        super("dataset '" + id + "' is still being uploaded; delete it after the upload ends");
    }
}
