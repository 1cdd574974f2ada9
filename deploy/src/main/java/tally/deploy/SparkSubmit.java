package tally.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A spark-submit command line as an EMR step runs it through {@code command-runner.jar}:
 * {@code spark-submit --deploy-mode cluster --class CLASS [--conf K=V]... JAR JOB_ARGS...}. What
 * {@code emr run} submits, and what the rehearsal reads back from the step to run it here.
 *
 * @param conf {@code --conf} values, {@code KEY=VALUE}
 * @param jar the application jar, an {@code s3://} URI on EMR
 * @param jobArgs the job's own arguments, after the jar
 */
public record SparkSubmit(String mainClass, List<String> conf, String jar, List<String> jobArgs) {
    /** The Tally job in {@code spark/}. */
    public static final String STATS_JOB = "tally.spark.SparkStatsJob";

    /** spark-submit's options that take no value (every other option takes one). */
    private static final Set<String> FLAGS = Set.of("--verbose", "--supervise");

    public SparkSubmit {
        conf = List.copyOf(conf);
        jobArgs = List.copyOf(jobArgs);
    }

    /** The step's {@code Args}, starting with {@code spark-submit}. */
    public List<String> args() {
        List<String> args = new ArrayList<>(List.of("spark-submit", "--deploy-mode", "cluster", "--class", mainClass));
        for (String c : conf) {
            args.add("--conf");
            args.add(c);
        }
        args.add(jar);
        args.addAll(jobArgs);
        return args;
    }

    /**
     * Reads a step's {@code Args} back: spark-submit's options up to the first word that is not one (the
     * jar), then the job's arguments. Options other than {@code --class} and {@code --conf} are skipped.
     *
     * @throws IllegalArgumentException if {@code args} is not a spark-submit command with a class and a jar
     */
    public static SparkSubmit parse(List<String> args) {
        if (args.isEmpty() || !"spark-submit".equals(args.get(0))) {
            throw new IllegalArgumentException("not a spark-submit command: " + args);
        }
        String mainClass = null;
        List<String> conf = new ArrayList<>();
        int i = 1;
        while (i < args.size() && args.get(i).startsWith("--")) {
            String option = args.get(i);
            if (FLAGS.contains(option)) {
                i++;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("spark-submit option " + option + " has no value");
            }
            if ("--class".equals(option)) {
                mainClass = args.get(i + 1);
            } else if ("--conf".equals(option)) {
                conf.add(args.get(i + 1));
            }
            i += 2;
        }
        if (mainClass == null || i >= args.size()) {
            throw new IllegalArgumentException("spark-submit without " + (mainClass == null ? "--class" : "a jar") + ": " + args);
        }
        return new SparkSubmit(mainClass, conf, args.get(i), args.subList(i + 1, args.size()));
    }
}
