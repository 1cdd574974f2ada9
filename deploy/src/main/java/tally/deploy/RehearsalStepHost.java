package tally.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs each submitted step on this machine, because moto records EMR steps but runs none (moto 5.2.1: the
 * first step stays RUNNING for ever). The step is read back from EMR, so what runs is exactly what
 * AddJobFlowSteps or RunJobFlow received: its jar is downloaded from S3 and checked against the published
 * sha256, its {@code s3://} input is copied here, {@code spark/bin/tally-spark-local} runs the job from that
 * jar in local mode, and the output directory goes up to the step's {@code s3://} output: the part files and
 * {@code summary.json} in name order, {@code _SUCCESS} last. The outcome is kept under
 * {@code DIR/steps/STEP_ID/} ({@code state.json}, and {@code stdout} and {@code stderr}, as EMR keeps a
 * step's), where {@link #state} reads it.
 *
 * <p>It rehearses the submission and the job, not EMR: no YARN, no cluster deploy mode, no EMRFS, no
 * cluster roles (the emulator accepts any), and the run happens before {@code emr run} returns.
 */
public final class RehearsalStepHost implements StepHost {
    private static final String SUCCESS = "_SUCCESS";

    private final Path dir;
    private final EmrSteps emr;
    private final S3Client s3;
    private final ObjectMapper json;
    private final Path launcher;
    private final Duration runTimeout;
    private final Progress progress;

    /**
     * @param launcher {@code spark/bin/tally-spark-local}
     * @param runTimeout the local run is stopped after this and the step fails
     */
    public RehearsalStepHost(Path dir, EmrSteps emr, S3Client s3, ObjectMapper json, Path launcher, Duration runTimeout,
                             Progress progress) {
        this.dir = dir;
        this.emr = emr;
        this.s3 = s3;
        this.json = json;
        this.launcher = launcher;
        this.runTimeout = runTimeout;
        this.progress = progress;
    }

    @Override
    public void submitted(String clusterId, String stepId) {
        Path home = dir.resolve("steps").resolve(stepId);
        StepState outcome;
        try {
            Files.createDirectories(home);
            outcome = progress.step("rehearsal: run step " + stepId + " here with " + launcher,
                    () -> run(home, emr.command(clusterId, stepId)));
        } catch (DeployException | SdkException e) {
            // On EMR too a step fails for such reasons (a jar or input it cannot read): it is the step's outcome.
            String reason = e instanceof SdkException sdk ? AwsErrors.describe("rehearse step " + stepId, sdk).getMessage() : e.getMessage();
            outcome = new StepState("FAILED", reason, Files.exists(home.resolve("stderr")) ? home.resolve("stderr").toString() : null);
            progress.note("rehearsal: step %s FAILED: %s", stepId, reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(home.resolve("input"));
            delete(home.resolve("output"));
        }
        try {
            Files.write(home.resolve("state.json"), json.writeValueAsBytes(outcome));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** EMR's answer (which proves the step is there), overridden by the outcome of the run here. */
    @Override
    public StepState state(String clusterId, String stepId) {
        StepState onEmr = emr.state(clusterId, stepId);
        Path state = dir.resolve("steps").resolve(stepId).resolve("state.json");
        if (!Files.exists(state)) {
            return onEmr;
        }
        try {
            return json.readValue(state.toFile(), StepState.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StepState run(Path home, EmrSteps.Command command) {
        if (!EmrSteps.COMMAND_RUNNER.equals(command.jar())) {
            throw new DeployException("the step runs " + command.jar() + ": the rehearsal runs spark-submit steps of "
                    + EmrSteps.COMMAND_RUNNER + " only");
        }
        SparkSubmit submit;
        try {
            submit = SparkSubmit.parse(command.args());
        } catch (IllegalArgumentException e) {
            throw new DeployException(e.getMessage(), e);
        }
        if (!SparkSubmit.STATS_JOB.equals(submit.mainClass()) || submit.jobArgs().size() < 2) {
            throw new DeployException("the rehearsal runs " + SparkSubmit.STATS_JOB + " INPUT OUTDIR ..., not "
                    + submit.mainClass() + " " + submit.jobArgs());
        }
        Path jar = publishedJar(S3Path.parse(submit.jar()), home.resolve("tally-spark.jar"));
        S3Path input = S3Path.parse(submit.jobArgs().get(0));
        S3Path output = S3Path.parse(submit.jobArgs().get(1));
        if (output.key().isEmpty() || "/".equals(output.key())) {
            throw new DeployException("the output cannot be a bucket's root: " + output);
        }
        List<String> options = submit.jobArgs().subList(2, submit.jobArgs().size());
        boolean overwrite = options.contains("--overwrite");
        List<String> existing = keys(output);
        if (!existing.isEmpty() && !overwrite) {
            // What the job says on EMR, before any work.
            throw new DeployException("the output exists: " + output + " (--overwrite replaces it once the new output is complete)");
        }
        Path localInput = copyIn(input, home.resolve("input"));
        Path localOutput = home.resolve("output");
        launch(home, jar, localInput, localOutput, options);
        if (overwrite) {
            existing.sort(Comparator.comparing(key -> !key.endsWith("/" + SUCCESS)));
            existing.forEach(key -> s3.deleteObject(b -> b.bucket(output.bucket()).key(key)));
        }
        upload(localOutput, output);
        return new StepState("COMPLETED", null, null);
    }

    /** Downloads the step's jar and checks it is the published one: same sha256 as its manifest. */
    private Path publishedJar(S3Path jar, Path target) {
        String key = jar.key();
        String version = key.startsWith("releases/") && key.lastIndexOf('/') > "releases/".length()
                ? key.substring("releases/".length(), key.lastIndexOf('/')) : "";
        if (!ReleaseStore.Artifact.SPARK_JOB.jarKey(version).equals(key)) {
            throw new DeployException("the step's jar " + jar + " is not a published job jar (s3://BUCKET/"
                    + ReleaseStore.Artifact.SPARK_JOB.jarKey("V") + ")");
        }
        ReleaseManifest manifest = new ReleaseStore(s3, null, jar.bucket(), json, ReleaseStore.Artifact.SPARK_JOB).require(version);
        download(jar, target);
        String sha256 = ReleaseStore.sha256(target);
        if (!sha256.equals(manifest.sha256())) {
            throw new DeployException("the step's jar " + jar + " has sha256 " + sha256 + ", not the published " + manifest.sha256()
                    + ": it was replaced after emr publish");
        }
        progress.note("rehearsal: %s is the published jar (sha256 %s)", jar, sha256);
        return target;
    }

    /** The input here: the object itself, or every object under the prefix as a directory. */
    private Path copyIn(S3Path input, Path target) {
        if (input.key().chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
            throw new DeployException("the rehearsal copies an s3:// input by object or prefix, not by a glob: " + input);
        }
        if (!input.key().isEmpty() && !input.key().endsWith("/") && exists(input)) {
            Path file = target.resolve(input.key().substring(input.key().lastIndexOf('/') + 1));
            download(input, file);
            return file;
        }
        List<String> keys = keys(input);
        keys.removeIf(key -> key.endsWith("/"));
        if (keys.isEmpty()) {
            throw new DeployException("no input at " + input + ": no such object and nothing under it");
        }
        for (String key : keys) {
            Path file = target.resolve(key.substring(input.prefix().length())).normalize();
            if (!file.startsWith(target)) {
                throw new DeployException("an input key leaves its directory: " + key);
            }
            download(new S3Path(input.bucket(), key), file);
        }
        return target;
    }

    private void launch(Path home, Path jar, Path input, Path output, List<String> options) {
        if (!Files.isExecutable(launcher)) {
            throw new DeployException("no launcher at " + launcher.toAbsolutePath() + ": the rehearsal runs steps with"
                    + " spark/bin/tally-spark-local (build: mvn -pl spark -am package -DskipTests; or pass --spark-local)");
        }
        List<String> command = new ArrayList<>(List.of(launcher.toAbsolutePath().toString(), input.toString(), output.toString()));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(home.resolve("stdout").toFile()).redirectError(home.resolve("stderr").toFile());
        // The downloaded bytes, not the build's jar: what runs is what EMR would fetch.
        builder.environment().put("TALLY_SPARK_JAR", jar.toString());
        try {
            Process process = builder.start();
            if (!process.waitFor(runTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new DeployException("the local run took longer than " + runTimeout + " and was stopped");
            }
            if (process.exitValue() != 0) {
                throw new DeployException("tally-spark-local exited with " + process.exitValue() + ": " + lastLine(home.resolve("stderr")));
            }
        } catch (IOException e) {
            throw new DeployException("cannot run " + launcher + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployException("interrupted while the step ran", e);
        }
    }

    /**
     * The output directory's files to {@code output}, {@code _SUCCESS} last, as the job commits them: a reader
     * that sees {@code _SUCCESS} sees the rest. Hadoop's local checksum files ({@code .NAME.crc}) stay here:
     * EMR's file systems write none.
     */
    private void upload(Path local, S3Path output) {
        List<Path> files;
        try (Stream<Path> list = Files.list(local)) {
            files = list.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing((Path f) -> SUCCESS.equals(f.getFileName().toString()))
                            .thenComparing(f -> f.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DeployException("the local run left no output at " + local + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            String key = output.prefix() + file.getFileName();
            s3.putObject(b -> b.bucket(output.bucket()).key(key), RequestBody.fromFile(file));
        }
        progress.note("rehearsal: uploaded %d files to %s", files.size(), output);
    }

    private boolean exists(S3Path object) {
        try {
            s3.headObject(b -> b.bucket(object.bucket()).key(object.key()));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** The keys under {@code location}'s prefix, in S3's (name) order. */
    private List<String> keys(S3Path location) {
        return new ArrayList<>(s3.listObjectsV2Paginator(b -> b.bucket(location.bucket()).prefix(location.prefix()))
                .contents().stream().map(S3Object::key).toList());
    }

    private void download(S3Path object, Path file) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.getObject(b -> b.bucket(object.bucket()).key(object.key()), file);
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "(no output on stderr)";
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    private static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
