package tally.deploy;

/** Another deploy holds the environment's lock; exit code 3 so scripts can tell it from a failed release. */
public final class LockHeldException extends DeployException {
    public LockHeldException(String message) {
        super(message, 3, null);
    }
}
