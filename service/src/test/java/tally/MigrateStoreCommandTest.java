package tally;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.TagStatsJob;
import tally.store.DatasetDraft;
import tally.store.DatasetMeta;
import tally.store.FileDatasetStore;
import tally.store.S3DatasetStore;
import tally.store.S3Location;
import tally.store.S3StoreSettings;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/** {@code tally migrate-store}, from a data directory to S3 (moto) and back. */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class MigrateStoreCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final MotoEmulator moto;
    private final S3Location bucket;

    @TempDir
    Path work;

    MigrateStoreCommandTest(MotoEmulator moto) {
        this.moto = moto;
        this.bucket = new S3Location(moto.newBucket(), "data/test/");
    }

    private int migrate(String from, String to) {
        err.reset();
        return new Main(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new PrintStream(err, true, UTF_8), Map.of("TALLY_S3_ENDPOINT", moto.endpoint().toString()))
                .run("migrate-store", "--from", from, "--to", to);
    }

    private String err() {
        return err.toString(UTF_8);
    }

    private static DatasetMeta upload(FileDatasetStore store, String id, int inputBytes) throws IOException {
        byte[] lines = new byte[inputBytes];
        new Random(inputBytes).nextBytes(lines);
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), Files.createTempDirectory("spill"))) {
            byte[] line = "{\"id\":\"u\",\"tags\":[{\"term\":\"t\"}],\"updated\":\"Mon, 01 Jan 2024 10:00:00 +0000\"}\n"
                    .getBytes(UTF_8);
            job.accept(line, 0, line.length);
            DatasetDraft draft = store.create(id, "dataset " + id);
            draft.input().write(lines);
            JobResult result = job.finish(draft.rows());
            return draft.commit(result.counters(), result.summary());
        }
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void datasets_go_to_s3_and_back_byte_for_byte_and_a_second_run_copies_nothing() throws IOException {
        Path source = work.resolve("source");
        try (FileDatasetStore files = FileDatasetStore.open(source)) {
            upload(files, "m1", 100);
            upload(files, "m2", 7 << 20); // incompressible: a multipart upload
            files.create("m3", "interrupted"); // in progress: not copied
        }
        String s3 = bucket.toString();

        assertThat(migrate(source.toString(), s3)).as(err()).isEqualTo(0);
        assertThat(err()).contains("m1: copied", "m2: copied", "m3: failed, not copied",
                "copied 2, already there 0, conflicts 0, not complete (not copied) 1");
        assertThat(migrate(source.toString(), s3)).isEqualTo(0);
        assertThat(err()).contains("copied 0, already there 2, conflicts 0");

        Path back = work.resolve("back");
        assertThat(migrate(s3, back.toString())).as(err()).isEqualTo(0);
        assertThat(err()).contains("copied 2, already there 0, conflicts 0, not complete (not copied) 0");
        for (String id : new String[] {"m1", "m2"}) {
            for (String file : new String[] {"input.lz4", "rows.tsv", "meta.json"}) {
                assertThat(back.resolve("datasets").resolve(id).resolve(file))
                        .hasSameBinaryContentAs(source.resolve("datasets").resolve(id).resolve(file));
            }
        }
        try (S3DatasetStore store = S3DatasetStore.connect(S3StoreSettings.of(bucket, moto.endpoint()));
                FileDatasetStore files = FileDatasetStore.open(source)) {
            assertThat(store.find("m2")).isEqualTo(files.find("m2"));
            assertThat(read(store.openRows("m2"))).isEqualTo(read(files.openRows("m2")));
            assertThat(read(store.openInput("m2"))).isEqualTo(read(files.openInput("m2")));
        }
        assertThat(moto.openUploads(bucket.bucket())).isEmpty();
    }

    @Test
    void a_run_cut_short_is_finished_by_the_next_and_a_different_dataset_with_the_same_id_is_left_alone()
            throws IOException {
        Path source = work.resolve("source");
        Path target = work.resolve("target");
        try (FileDatasetStore files = FileDatasetStore.open(source)) {
            upload(files, "r1", 10);
            upload(files, "r2", 20);
            upload(files, "clash", 30);
        }
        try (FileDatasetStore done = FileDatasetStore.open(target); FileDatasetStore files = FileDatasetStore.open(source)) {
            // As if a first run had copied r1 before it stopped; and the target has its own "clash".
            DatasetMeta r1 = files.find("r1").orElseThrow();
            done.restore(r1, files.openStoredInput("r1"), files.openRows("r1"));
            upload(done, "clash", 40);
        }

        assertThat(migrate(source.toString(), target.toString())).isEqualTo(1);
        assertThat(err()).contains("clash: the destination has another dataset with this id; left alone",
                "copied 1, already there 1, conflicts 1");
        try (FileDatasetStore done = FileDatasetStore.open(target)) {
            assertThat(done.find("clash").orElseThrow().sizes().inputBytes()).isEqualTo(40);
            assertThat(done.find("r2")).isPresent();
        }
    }

    @Test
    void a_data_directory_in_use_or_an_unreachable_store_fails_with_one_line() throws IOException {
        Path source = work.resolve("source");
        try (FileDatasetStore running = FileDatasetStore.open(source)) {
            assertThat(migrate(source.toString(), bucket.toString())).isEqualTo(1);
            assertThat(err()).contains("in use by another Tally server", "run it again to resume");
        }
        err.reset();
        int code = new Main(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new PrintStream(err, true, UTF_8), Map.of("TALLY_S3_ENDPOINT", "http://127.0.0.1:9"))
                .run("migrate-store", "--from", bucket.toString(), "--to", work.resolve("x").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err()).contains("the dataset store s3://", "unreachable");
    }
}
