package tally.deploy;

import java.util.Locale;

/** One-line text for a release outcome. */
final class Outcomes {
    private Outcomes() {
    }

    static String text(Release.Outcome o) {
        return String.format(Locale.ROOT, "%s %s: %s %s (was %s), instances %s, address %s, %.1fs, datasets %s",
                o.action(), o.outcome(), o.env(), o.version() == null ? "-" : o.version(),
                o.previousVersion() == null ? "nothing" : o.previousVersion(), o.instances(),
                o.address() == null ? "-" : o.address(), o.durationMs() / 1000.0, o.data() == null ? "-" : o.data());
    }
}
