package tally.http;

/** Whether the server takes uploads: not yet while starting, no more while draining for a stop. */
public final class Lifecycle {
    private volatile boolean ready;
    private volatile boolean draining;

    public void markReady() {
        ready = true;
    }

    public void markDraining() {
        draining = true;
    }

    public boolean isReady() {
        return ready && !draining;
    }

    public boolean isDraining() {
        return draining;
    }
}
