package tally.deploy;

/** A failure the user can act on; its message is printed as is and the command exits non-zero. */
public class DeployException extends RuntimeException {
    private final int exitCode;

    public DeployException(String message) {
        this(message, 1, null);
    }

    public DeployException(String message, Throwable cause) {
        this(message, 1, cause);
    }

    public DeployException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
