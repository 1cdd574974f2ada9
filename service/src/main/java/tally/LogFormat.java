package tally;

/** One line per log record (the JDK's default takes two): time, level, logger, message, stack trace. */
final class LogFormat {
    private static final String KEY = "java.util.logging.SimpleFormatter.format";

    private LogFormat() {
    }

    /** Must run before the first logger is created; an explicit -D setting wins. */
    static void install() {
        if (System.getProperty(KEY) == null) {
            System.setProperty(KEY, "%1$tFT%1$tT.%1$tLZ %4$s %3$s %5$s%6$s%n");
        }
    }
}
