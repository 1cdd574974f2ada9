package tally.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tally.http.ReadinessCheck;

/**
 * Not ready while the data directory's file system has less than a minimum of usable space: a load
 * balancer then sends uploads elsewhere instead of to a server that would fail them with 507.
 */
final class FreeSpaceCheck implements ReadinessCheck {
    private final Path dir;
    private final long minFreeBytes;

    FreeSpaceCheck(Path dir, long minFreeBytes) {
        this.dir = dir;
        this.minFreeBytes = minFreeBytes;
    }

    @Override
    public String notReadyBecause() {
        try {
            long usable = Files.getFileStore(dir).getUsableSpace();
            return usable < minFreeBytes ? "low on disk space: " + (usable >> 20) + " MiB free in " + dir
                    + ", below the minimum of " + (minFreeBytes >> 20) + " MiB (--min-free-bytes)" : null;
        } catch (IOException e) {
            return "cannot read the free space of " + dir + ": " + e.getMessage();
        }
    }
}
