package tally.deploy;

import java.time.Duration;

/**
 * Polls a step until it ends or a time limit passes. Every poll needs the limit: a stuck job runs on, and
 * moto's first step stays RUNNING for ever (moto 5.2.1).
 */
final class StepWait {
    private StepWait() {
    }

    /** The step's last state: finished, or not when {@code timeout} passed first. Notes each change. */
    static StepState await(StepHost host, EmrSteps.Submitted step, Duration timeout, Duration interval, Progress progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = null;
        while (true) {
            StepState state = host.state(step.clusterId(), step.stepId());
            if (!state.state().equals(seen)) {
                progress.note("step %s: %s", step.stepId(), state.describe());
                seen = state.state();
            }
            long left = deadline - System.nanoTime();
            if (state.finished() || left <= 0) {
                return state;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeployException("interrupted while waiting for step " + step.stepId(), e);
            }
        }
    }
}
