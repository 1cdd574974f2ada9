package tally.deploy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tally.testing.MotoEmulator;

/**
 * Runs {@code tally-deploy} in-process, exactly as {@code main} wires it, against the test's moto, bucket
 * and rehearsal directory, with short waits: health polls every 200 ms, two attempts per AWS call.
 */
final class Cli {
    /** What one command printed and returned. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final MotoEmulator moto;
    private final String bucket;
    private final Path rehearsalDir;

    /** @param rehearsalDir null: no rehearsal, the emulator alone (EMR steps are then recorded, never run) */
    Cli(MotoEmulator moto, String bucket, Path rehearsalDir) {
        this.moto = moto;
        this.bucket = bucket;
        this.rehearsalDir = rehearsalDir;
    }

    Run run(String... args) {
        List<String> full = new ArrayList<>(List.of("--endpoint-url", moto.endpoint().toString(), "--bucket", bucket,
                "--max-attempts", "2"));
        if (rehearsalDir != null) {
            full.addAll(List.of("--rehearsal-dir", rehearsalDir.toString()));
        }
        full.addAll(List.of(args));
        return in(Map.of(), full.toArray(String[]::new));
    }

    /**
     * {@code tally-deploy ARGS} with this environment and nothing else: no emulator, bucket or rehearsal
     * unless {@code args} or {@code env} name them. The environment is the test's, never the process's.
     */
    static Run in(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DeployCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
        return new Run(exit, out.toString(), err.toString());
    }

    /** {@code args} plus the short waits a test wants; a later {@code --health-timeout} in args wins. */
    static String[] fast(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--poll-interval", "200ms", "--running-timeout", "20s"));
        if (!all.contains("--health-timeout")) {
            all.addAll(List.of("--health-timeout", "40s"));
        }
        return all.toArray(String[]::new);
    }

    RehearsalHost host(AwsClients aws) {
        return host(aws, "http");
    }

    /** The rehearsal's instances, reached with {@code scheme}: {@code https} for an environment with TLS. */
    RehearsalHost host(AwsClients aws, String scheme) {
        return new RehearsalHost(rehearsalDir, aws.ec2(), java.time.Duration.ofMinutes(1), moto.endpoint(), "us-east-1",
                scheme);
    }

    AwsClients clients() {
        return new AwsClients("us-east-1", moto.endpoint(), 2);
    }
}
