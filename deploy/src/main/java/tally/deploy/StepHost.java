package tally.deploy;

/**
 * Where a submitted step runs: on EMR ({@link EmrSteps}), or on this machine in a rehearsal
 * ({@link RehearsalStepHost}), because moto records steps but runs none.
 */
public interface StepHost {
    /** Called once the step is on the cluster. EMR needs nothing more; a rehearsal runs it here. */
    void submitted(String clusterId, String stepId);

    /** The step's state now. */
    StepState state(String clusterId, String stepId);
}
