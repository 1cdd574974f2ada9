package tally.http;

/** Thrown anywhere a request must end with a given {@link Problem}; {@link Problems} renders it. */
public final class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.status() + " " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
