package tally.store;

/**
 * The dataset store cannot be reached (or refuses this server) after the client's own retries: the
 * HTTP layer answers 503 with a Retry-After, and {@code /readyz} says the same until it answers again.
 */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first StoreUnavailableException in {@code error}'s cause chain (streams wrap it in IOExceptions), or null. */
    public static StoreUnavailableException in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StoreUnavailableException s) {
                return s;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
