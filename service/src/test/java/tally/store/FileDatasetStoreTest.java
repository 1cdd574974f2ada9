package tally.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tally.job.JobConfig;
import tally.job.JobResult;
import tally.job.TagStatsJob;
import tally.job.Summary;

@Tag("unit")
class FileDatasetStoreTest {
    /** A real result of the job, so that meta.json round-trips every field of counters and summary. */
    private static final JobResult JOB = result();

    @TempDir
    Path dataDir;

    private FileDatasetStore open() throws IOException {
        return FileDatasetStore.open(dataDir);
    }

    private DatasetMeta storeComplete(DatasetStore store, String id, String input, String rows) throws IOException {
        DatasetDraft draft = store.create(id, "name of " + id);
        draft.input().write(input.getBytes(StandardCharsets.UTF_8));
        draft.rows().write(rows.getBytes(StandardCharsets.UTF_8));
        return draft.commit(JOB.counters(), JOB.summary());
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_committed_dataset_reads_back_its_input_rows_and_metadata() throws IOException {
        FileDatasetStore store = open();
        DatasetMeta meta = storeComplete(store, "a1", "{\"id\":\"x\"}\n", "x\tSun\n");

        assertThat(meta.status()).isEqualTo(DatasetStatus.COMPLETE);
        assertThat(meta.sizes().inputBytes()).isEqualTo(11);
        assertThat(meta.sizes().rowsBytes()).isEqualTo(6);
        assertThat(read(store.openInput("a1"))).isEqualTo("{\"id\":\"x\"}\n");
        assertThat(read(store.openRows("a1"))).isEqualTo("x\tSun\n");
        assertThat(store.find("a1")).contains(meta);
    }

    @Test
    void the_input_is_stored_lz4_compressed() throws IOException {
        FileDatasetStore store = open();
        String input = "{\"tags\":[{\"term\":\"same\"}]}\n".repeat(10_000);
        storeComplete(store, "big", input, "");

        long stored = Files.size(dataDir.resolve("datasets/big/input.lz4"));
        assertThat(stored).isLessThan(input.length() / 10);
        assertThat(read(store.openInput("big"))).isEqualTo(input);
    }

    @Test
    void a_taken_id_is_refused_while_in_progress_and_after_completion() throws IOException {
        FileDatasetStore store = open();
        store.create("busy", "first");
        storeComplete(store, "done", "", "");

        assertThatThrownBy(() -> store.create("busy", "second")).isInstanceOf(DatasetExistsException.class);
        assertThatThrownBy(() -> store.create("done", "second")).isInstanceOf(DatasetExistsException.class);
    }

    @Test
    void an_in_progress_dataset_is_listed_as_such_and_has_no_rows_to_read() throws IOException {
        FileDatasetStore store = open();
        store.create("running", "r").input().write('x');

        assertThat(store.find("running")).get().extracting(DatasetMeta::status).isEqualTo(DatasetStatus.IN_PROGRESS);
        assertThatThrownBy(() -> store.openRows("running")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> store.delete("running")).isInstanceOf(DatasetBusyException.class);
    }

    @Test
    void an_aborted_dataset_leaves_no_trace() throws IOException {
        FileDatasetStore store = open();
        DatasetDraft draft = store.create("gone", "g");
        draft.input().write("partial".getBytes(StandardCharsets.UTF_8));
        draft.abort();

        assertThat(store.find("gone")).isEmpty();
        assertThat(dataDir.resolve("datasets/gone")).doesNotExist();
        storeComplete(store, "gone", "", "");
        assertThat(store.find("gone")).get().extracting(DatasetMeta::status).isEqualTo(DatasetStatus.COMPLETE);
    }

    @Test
    void a_restart_keeps_complete_datasets_and_marks_interrupted_ones_failed() throws IOException {
        FileDatasetStore first = open();
        DatasetMeta kept = storeComplete(first, "kept", "input\n", "row\n");
        DatasetDraft interrupted = first.create("cut", "cut off");
        interrupted.input().write(new byte[100_000]);
        interrupted.rows().write("half a ro".getBytes(StandardCharsets.UTF_8));
        // No commit, no abort: the process "dies" here (the OS drops its lock) and its files stay behind.
        first.close();

        FileDatasetStore second = open();

        // Every field, counters and summary included, comes back from meta.json as it was committed.
        assertThat(second.find("kept")).contains(kept);
        assertThat(kept.status()).isEqualTo(DatasetStatus.COMPLETE);
        assertThat(kept.summary().topTerms()).extracting(Summary.TermCount::term).containsExactly("a");
        assertThat(read(second.openRows("kept"))).isEqualTo("row\n");
        assertThat(read(second.openInput("kept"))).isEqualTo("input\n");
        DatasetMeta cut = second.find("cut").orElseThrow();
        assertThat(cut.status()).isEqualTo(DatasetStatus.FAILED);
        assertThat(cut.name()).isEqualTo("cut off");
        assertThat(cut.reason()).contains("interrupted");
        try (Stream<Path> left = Files.list(dataDir.resolve("datasets/cut"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("meta.json");
        }
    }

    @Test
    void a_dataset_directory_without_metadata_is_recovered_as_failed() throws IOException {
        Files.createDirectories(dataDir.resolve("datasets/bare"));
        Files.write(dataDir.resolve("datasets/bare/rows.tsv.part"), new byte[10]);

        FileDatasetStore store = open();

        assertThat(store.find("bare")).get().extracting(DatasetMeta::status).isEqualTo(DatasetStatus.FAILED);
        assertThat(store.list(null, 10).datasets()).extracting(DatasetMeta::id).containsExactly("bare");
    }

    @Test
    void a_torn_metadata_file_never_reads_as_complete() throws IOException {
        FileDatasetStore first = open();
        storeComplete(first, "torn", "x\n", "r\n");
        first.close();
        Path meta = dataDir.resolve("datasets/torn/meta.json");
        byte[] bytes = Files.readAllBytes(meta);
        Files.write(meta, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThat(open().find("torn")).get().extracting(DatasetMeta::status).isEqualTo(DatasetStatus.FAILED);
    }

    @Test
    void listing_is_newest_first_and_pages_follow_the_cursor() throws IOException {
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            times.add(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i));
        }
        MutableClock clock = new MutableClock();
        FileDatasetStore store = FileDatasetStore.open(dataDir, clock);
        for (int i = 0; i < 5; i++) {
            clock.now = times.get(i);
            storeComplete(store, "d" + i, "", "");
        }

        DatasetPage first = store.list(null, 2);
        DatasetPage second = store.list(first.nextCursor(), 2);
        store.delete("d2");
        DatasetPage third = store.list(second.nextCursor(), 2);

        assertThat(first.datasets()).extracting(DatasetMeta::id).containsExactly("d4", "d3");
        assertThat(second.datasets()).extracting(DatasetMeta::id).containsExactly("d2", "d1");
        assertThat(third.datasets()).extracting(DatasetMeta::id).containsExactly("d0");
        assertThat(third.nextCursor()).isNull();
    }

    @Test
    void a_garbled_cursor_is_a_client_error() throws IOException {
        FileDatasetStore store = open();
        assertThatThrownBy(() -> store.list("not a cursor!", 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleting_removes_the_files_and_reports_whether_there_was_anything() throws IOException {
        FileDatasetStore store = open();
        storeComplete(store, "del", "a\n", "b\n");

        assertThat(store.delete("del")).isTrue();
        assertThat(store.delete("del")).isFalse();
        assertThat(dataDir.resolve("datasets/del")).doesNotExist();
        store.close();
        assertThat(open().find("del")).isEmpty();
    }

    @Test
    void a_second_store_on_the_same_directory_is_refused_until_the_first_closes() throws IOException {
        FileDatasetStore first = open();
        first.create("running", "r");

        assertThatThrownBy(this::open).isInstanceOf(IOException.class).hasMessageContaining("in use");
        assertThat(first.find("running")).get().extracting(DatasetMeta::status).isEqualTo(DatasetStatus.IN_PROGRESS);
        first.close();
        open().close();
    }

    @Test
    void ids_outside_the_allowed_alphabet_are_refused() {
        assertThat(DatasetIds.isValid("ok_ID-9")).isTrue();
        assertThat(DatasetIds.isValid("a".repeat(64))).isTrue();
        assertThat(DatasetIds.isValid("a".repeat(65))).isFalse();
        assertThat(DatasetIds.isValid("../etc")).isFalse();
        assertThat(DatasetIds.isValid("")).isFalse();
        assertThat(DatasetIds.isValid(DatasetIds.newId())).isTrue();
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.EPOCH;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static JobResult result() {
        String lines = "{\"id\": \"x\", \"updated\": \"Sun, 06 Sep 2009 11:36:20 +0000\", \"tags\": [{\"term\": \"a\"}]}\n"
                + "not json\n";
        try (TagStatsJob job = new TagStatsJob(JobConfig.defaults(), Path.of(System.getProperty("java.io.tmpdir")))) {
            byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
            job.accept(bytes, 0, bytes.length);
            return job.finish(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
