package tally.http;

/** One condition {@code /readyz} needs besides the server's own start: free disk space, a reachable store. */
@FunctionalInterface
public interface ReadinessCheck {
    /** Why the server should take no uploads now, in a few words for an operator; null when all is well. */
    String notReadyBecause();
}
