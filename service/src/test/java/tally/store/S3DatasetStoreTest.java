package tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.TagStatsJob;
import tally.testing.MotoEmulator;
import tally.testing.MotoServer;

/**
 * The S3 store against moto, two instances of it on one bucket as two servers would have, with a
 * clock the test moves to see claims go stale and leftovers age past the grace period.
 */
@Tag("deploy")
@ExtendWith(MotoServer.class)
class S3DatasetStoreTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final JobResult JOB = result();

    private final MotoEmulator moto;
    private final S3Location location;
    private final MovableClock clock = new MovableClock();
    private final List<S3DatasetStore> opened = new ArrayList<>();

    S3DatasetStoreTest(MotoEmulator moto) {
        this.moto = moto;
        this.location = new S3Location(moto.newBucket(), "data/test/");
    }

    @BeforeEach
    void quietSdk() {
        clock.now = Instant.now();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3DatasetStore::close);
    }

    /** An instance of the store as a server opens it, minus the background work the tests do by hand. */
    private S3DatasetStore instance() {
        S3StoreSettings settings = new S3StoreSettings(location, moto.endpoint(), HEARTBEAT, GRACE);
        S3DatasetStore store = new S3DatasetStore(S3Objects.connect(location.bucket(), moto.endpoint()), settings,
                clock);
        opened.add(store);
        return store;
    }

    private static DatasetMeta complete(DatasetStore store, String id, byte[] input, byte[] rows) throws IOException {
        DatasetDraft draft = store.create(id, "name of " + id);
        draft.input().write(input);
        draft.rows().write(rows);
        return draft.commit(JOB.counters(), JOB.summary());
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void a_committed_dataset_reads_back_the_same_on_another_instance() throws IOException {
        byte[] input = "{\"id\":\"x\"}\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] rows = bytes(12 << 20, 1); // three parts of a multipart upload
        DatasetMeta meta = complete(instance(), "a1", input, rows);

        S3DatasetStore other = instance();
        assertThat(other.find("a1")).contains(meta);
        assertThat(meta.sizes()).isEqualTo(new DatasetSizes(input.length, meta.sizes().storedInputBytes(), rows.length));
        assertThat(read(other.openInput("a1"))).isEqualTo(input);
        assertThat(read(other.openRows("a1"))).isEqualTo(rows);
        assertThat(other.list(null, 10).datasets()).containsExactly(meta);
        assertThat(moto.openUploads(location.bucket())).isEmpty();
    }

    @Test
    void an_id_is_taken_on_every_instance_as_soon_as_an_upload_starts() throws IOException {
        S3DatasetStore a = instance();
        S3DatasetStore b = instance();
        DatasetDraft draft = a.create("taken", "first");

        assertThatThrownBy(() -> b.create("taken", "second")).isInstanceOf(DatasetExistsException.class);
        assertThat(b.find("taken")).get().extracting(DatasetMeta::status).isEqualTo(DatasetStatus.IN_PROGRESS);
        assertThat(b.list(null, 10).datasets()).extracting(DatasetMeta::id).containsExactly("taken");
        assertThatThrownBy(() -> b.delete("taken")).isInstanceOf(DatasetBusyException.class);
        assertThatThrownBy(() -> b.openRows("taken")).isInstanceOf(NoSuchFileException.class);

        draft.rows().write(bytes(100, 2));
        draft.commit(JOB.counters(), JOB.summary());
        assertThatThrownBy(() -> b.create("taken", "second")).isInstanceOf(DatasetExistsException.class);
    }

    @Test
    void the_commit_is_conditional_so_a_second_writer_of_an_id_loses() throws IOException {
        S3DatasetStore a = instance();
        DatasetDraft draft = a.create("race", "first");
        draft.rows().write(bytes(6 << 20, 3));
        // Another writer's commit lands first (here a copy restored from elsewhere, which claims after committing).
        DatasetMeta theirs = DatasetMeta.started("race", "theirs", clock.instant())
                .completed(clock.instant(), new DatasetSizes(0, 0, 1), JOB.counters(), JOB.summary());
        instance().restore(theirs, new ByteArrayInputStream(new byte[0]), new ByteArrayInputStream(new byte[1]));

        assertThatThrownBy(() -> draft.commit(JOB.counters(), JOB.summary())).isInstanceOf(DatasetExistsException.class);
        draft.abort();

        assertThat(instance().find("race")).contains(theirs);
        assertThat(read(instance().openRows("race"))).hasSize(1);
        assertThat(moto.openUploads(location.bucket())).isEmpty();
        assertThat(moto.keys(location.bucket())).filteredOn(k -> k.contains("/data/")).hasSize(2);
    }

    @Test
    void an_aborted_upload_leaves_no_object_and_no_open_multipart_upload() throws IOException {
        DatasetDraft draft = instance().create("gone", "gone");
        draft.input().write(bytes(30 << 20, 4)); // incompressible: LZ4 frames of over a part already sent
        draft.rows().write(bytes(7 << 20, 5));
        assertThat(moto.openUploads(location.bucket())).isNotEmpty();

        draft.abort();

        assertThat(moto.keys(location.bucket())).isEmpty();
        assertThat(moto.openUploads(location.bucket())).isEmpty();
        assertThat(instance().find("gone")).isEmpty();
    }

    @Test
    void an_upload_whose_instance_died_reads_failed_and_the_sweep_removes_all_it_left() throws IOException {
        S3DatasetStore dead = instance();
        DatasetDraft draft = dead.create("orphan", "orphan");
        draft.rows().write(bytes(6 << 20, 6));
        draft.input().write(bytes(1000, 7));
        DatasetMeta complete = complete(dead, "kept", new byte[10], new byte[20]);
        // The instance stops: no heartbeat, no abort, no commit.

        S3DatasetStore survivor = instance();
        assertThat(survivor.sweep().removed()).as("nothing is old yet").isZero();
        clock.now = clock.now.plus(HEARTBEAT.multipliedBy(5));
        DatasetMeta failed = survivor.find("orphan").orElseThrow();
        assertThat(failed.status()).isEqualTo(DatasetStatus.FAILED);
        assertThat(failed.reason()).startsWith("interrupted: the instance writing it stopped");
        assertThat(survivor.list(null, 10).datasets()).extracting(DatasetMeta::status)
                .containsExactly(DatasetStatus.COMPLETE, DatasetStatus.FAILED);

        clock.now = clock.now.plus(GRACE);
        S3Sweep.Result swept = survivor.sweep();

        assertThat(swept.abortedUploads()).isEqualTo(1);
        assertThat(moto.openUploads(location.bucket())).isEmpty();
        assertThat(moto.keys(location.bucket())).allMatch(k -> k.contains("kept")).hasSize(5);
        assertThat(survivor.find("orphan")).isEmpty();
        assertThat(survivor.find("kept")).contains(complete);
        assertThat(survivor.sweep().removed()).isZero();
        survivor.create("orphan", "the id is free again").abort();
    }

    @Test
    void a_failed_dataset_can_be_deleted_and_a_delete_on_one_instance_is_seen_by_all() throws IOException {
        S3DatasetStore a = instance();
        S3DatasetStore b = instance();
        complete(a, "d1", bytes(100, 8), bytes(6 << 20, 9));
        a.create("d2", "interrupted").input().write(1);
        clock.now = clock.now.plus(HEARTBEAT.multipliedBy(5));
        a.list(null, 10); // fills a's cache

        assertThat(b.delete("d1")).isTrue();
        assertThat(b.delete("d1")).isFalse();
        assertThat(a.find("d1")).isEmpty();
        assertThatThrownBy(() -> a.openRows("d1")).isInstanceOf(NoSuchFileException.class);
        assertThat(a.list(null, 10).datasets()).extracting(DatasetMeta::id).containsExactly("d2");
        assertThat(b.delete("d2")).as("an interrupted upload is deleted on any instance").isTrue();
        assertThat(moto.keys(location.bucket())).isEmpty();
    }

    @Test
    void pages_are_newest_first_and_a_cursor_continues_after_the_last_one_seen() throws IOException {
        S3DatasetStore store = instance();
        for (int i = 1; i <= 5; i++) {
            complete(store, "p" + i, new byte[i], new byte[i]);
            clock.now = clock.now.plusSeconds(1);
        }
        S3DatasetStore other = instance();

        DatasetPage first = other.list(null, 2);
        assertThat(first.datasets()).extracting(DatasetMeta::id).containsExactly("p5", "p4");
        store.delete("p3");
        DatasetPage second = other.list(first.nextCursor(), 2);
        assertThat(second.datasets()).extracting(DatasetMeta::id).containsExactly("p2", "p1");
        assertThat(second.nextCursor()).isNull();
        assertThatThrownBy(() -> other.list("bogus", 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_dataset_restored_from_a_file_store_is_copied_byte_for_byte(@TempDir Path dir) throws IOException {
        DatasetMeta meta;
        byte[] stored;
        try (FileDatasetStore files = FileDatasetStore.open(dir)) {
            meta = complete(files, "f1", bytes(9 << 20, 10), bytes(200, 11));
            stored = read(files.openStoredInput("f1"));
        }
        S3DatasetStore s3 = instance();

        try (FileDatasetStore files = FileDatasetStore.open(dir)) {
            s3.restore(meta, files.openStoredInput("f1"), files.openRows("f1"));
            assertThatThrownBy(() -> s3.restore(meta, files.openStoredInput("f1"), files.openRows("f1")))
                    .isInstanceOf(DatasetExistsException.class);
        }

        S3DatasetStore other = instance();
        assertThat(other.find("f1")).contains(meta);
        assertThat(read(other.openStoredInput("f1"))).isEqualTo(stored);
        assertThatThrownBy(() -> other.create("f1", "again")).isInstanceOf(DatasetExistsException.class);
        DatasetMeta lying = DatasetMeta.started("f2", "f2", clock.instant())
                .completed(clock.instant(), new DatasetSizes(1, 5, 5), JOB.counters(), JOB.summary());
        assertThatThrownBy(() -> other.restore(lying, new ByteArrayInputStream(new byte[4]),
                new ByteArrayInputStream(new byte[5]))).isInstanceOf(IOException.class).hasMessageContaining("says 5");
        assertThat(other.find("f2")).isEmpty();
        assertThat(moto.openUploads(location.bucket())).isEmpty();
    }

    @Test
    void an_unreachable_store_says_so_and_its_calls_fail_as_unavailable() {
        S3StoreSettings settings = new S3StoreSettings(location, java.net.URI.create("http://127.0.0.1:9"), HEARTBEAT,
                GRACE);
        S3DatasetStore down = new S3DatasetStore(S3Objects.connect(location.bucket(), settings.endpoint()), settings,
                clock);
        opened.add(down);

        assertThat(down.unavailable()).isEmpty();
        assertThatThrownBy(() -> down.find("x")).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("unreachable");
        assertThat(down.unavailable()).get().asString().contains("127.0.0.1:9", "unreachable");
        assertThatThrownBy(() -> down.create("x", "x")).isInstanceOf(StoreUnavailableException.class);
    }

    private static JobResult result() {
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), Path.of(System.getProperty("java.io.tmpdir")))) {
            byte[] line = "{\"id\":\"u1\",\"tags\":[{\"term\":\"a\"}],\"updated\":\"Mon, 01 Jan 2024 10:00:00 +0000\"}\n"
                    .getBytes(StandardCharsets.UTF_8);
            job.accept(line, 0, line.length);
            return job.finish(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        volatile Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
