package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tally.job.TagStatsJob;

@Tag("db")
@ExtendWith(PostgresServer.class)
class PostgresLoadTest {
    private static final Map<String, String> ENV = Map.of("PGPASSWORD", PostgresServer.PASSWORD);

    private final PostgresServer.Instance db;
    @TempDir
    Path dir;

    PostgresLoadTest(PostgresServer.Instance db) {
        this.db = db;
    }

    private LoadRun load(String... args) {
        return LoadRun.run(ENV, withUrl(args));
    }

    private String[] withUrl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--jdbc-url");
        all.add(db.jdbcUrl());
        return all.toArray(String[]::new);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, UTF_8);
    }

    @Test
    void hostile_values_arrive_intact_field_by_field() throws Exception {
        List<List<String>> rows = TsvRows.hostileRows();
        Path tsv = file("rows.tsv", TsvRows.tsv(rows));

        LoadRun run = load(tsv.toString(), "--table", "hostile", "--create");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("loaded " + rows.size() + " rows into \"hostile\"");
        try (Connection c = db.connect()) {
            assertThat(TableRows.read(c, "hostile")).containsExactlyElementsOf(TsvRows.canonical(rows));
            try (Statement sql = c.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT count(*) FROM hostile WHERE id = E'\\\\N' AND id IS NOT NULL")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the id \\N is text, not NULL").isEqualTo(1);
            }
        }
    }

    @Test
    void a_bad_line_fails_the_whole_load_naming_its_line_and_leaves_the_table_as_it_was() throws Exception {
        Path good = file("good.tsv", TsvRows.tsv(TsvRows.hostileRows()));
        assertThat(load(good.toString(), "--table", "untouched", "--create").exit()).isZero();
        List<List<String>> before;
        try (Connection c = db.connect()) {
            before = TableRows.read(c, "untouched");
        }
        String valid = TsvRows.tsv(List.of(TsvRows.row("new", "Mon", 1, "3.0", "3.0")));
        String nineteen = valid.replace("\t0\n", "\n");
        String badCount = valid.replace("\t1\t3.0", "\tone\t3.0");
        String badFloat = valid.replace("\t3.0\t3.0", "\t3.0\t3,5");
        // Line 3 is the second row's line: the first row's id holds an escaped LF.
        String escapedLf = TsvRows.tsv(List.of(TsvRows.row("a\nb", "Mon", 1, "3.0", "3.0")));

        record Case(String content, String expected) {
        }
        for (Case bad : List.of(new Case(valid + nineteen + valid, "line 2: expected 20 TAB-separated fields, found 19"),
                new Case(valid + valid + badCount, "line 3: field 8 (num_tags) is \"one\""),
                new Case(escapedLf + badFloat, "line 3: field 10 (avg_tag_len) is \"3,5\""),
                new Case(valid + "raw\\N" + valid.substring(valid.indexOf('\t')), "line 2: a backslash must come before"))) {
            Path rows = file("bad.tsv", bad.content());
            LoadRun run = load(rows.toString(), "--table", "untouched", "--replace");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).contains(rows + " " + bad.expected()).contains("nothing was loaded");
            try (Connection c = db.connect()) {
                assertThat(TableRows.read(c, "untouched")).containsExactlyElementsOf(before);
            }
        }
    }

    @Test
    void replace_shows_concurrent_readers_the_old_rows_or_the_new_never_a_mix_or_nothing() throws Exception {
        List<List<String>> oldRows = List.of(TsvRows.row("old-1", "Mon", 1, "1.0", "1.0"),
                TsvRows.row("old-2", "Mon", 1, "1.0", "1.0"));
        assertThat(load(file("old.tsv", TsvRows.tsv(oldRows)).toString(), "--table", "swapped", "--create").exit()).isZero();
        List<List<String>> newRows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            newRows.add(TsvRows.row("new-" + i, "Tue", 2, "4.0", "2.0"));
        }
        byte[] newTsv = TsvRows.tsv(newRows).getBytes(UTF_8);
        int half = TsvRows.tsv(newRows.subList(0, 500)).getBytes(UTF_8).length;

        try (Connection snapshot = db.connect(); Connection reader = db.connect()) {
            // A REPEATABLE READ transaction whose snapshot is older than the replace.
            snapshot.setAutoCommit(false);
            snapshot.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            assertThat(TableRows.read(snapshot, "swapped")).hasSize(2);

            PipedOutputStream feed = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(feed, 1 << 20);
            CompletableFuture<LoadRun> loading = CompletableFuture.supplyAsync(
                    () -> LoadRun.run(stdin, ENV, withUrl("-", "--table", "swapped", "--replace")));
            feed.write(newTsv, 0, half);
            feed.flush();
            awaitCopyRunning(reader);

            // Mid-load: the old rows are deleted and half the new ones copied, uncommitted. A reader is
            // not blocked (the statement timeout would fail it) and sees exactly the old rows.
            try (Statement sql = reader.createStatement()) {
                sql.execute("SET statement_timeout = '5s'");
            }
            assertThat(TableRows.read(reader, "swapped")).containsExactlyElementsOf(TsvRows.canonical(oldRows));

            feed.write(newTsv, half, newTsv.length - half);
            feed.close();
            LoadRun run = loading.get(60, TimeUnit.SECONDS);
            assertThat(run.exit()).as(run.err()).isZero();

            assertThat(TableRows.read(reader, "swapped")).containsExactlyElementsOf(TsvRows.canonical(newRows));
            // TRUNCATE, or a new table renamed into place, would show this old snapshot an empty table.
            assertThat(TableRows.read(snapshot, "swapped")).containsExactlyElementsOf(TsvRows.canonical(oldRows));
            snapshot.rollback();
        }
    }

    private static void awaitCopyRunning(Connection connection) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE application_name = 'tally load' AND query LIKE 'COPY%' AND state = 'active'")) {
                rs.next();
                if (rs.getInt(1) == 1) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the load's COPY did not start within 30 s");
    }

    @Test
    void a_table_with_rows_needs_append_or_replace() throws Exception {
        Path rows = file("rows.tsv", TsvRows.tsv(List.of(TsvRows.row("a", "Mon", 1, "1.0", "1.0"))));
        assertThat(load(rows.toString(), "--table", "guarded", "--create").exit()).isZero();

        LoadRun again = load(rows.toString(), "--table", "guarded", "--create");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("table \"guarded\" already has rows: --append adds to them, --replace swaps them");

        assertThat(load(rows.toString(), "--table", "guarded", "--append").exit()).isZero();
        assertThat(load(rows.toString(), "--table", "Guarded", "--append").exit()).isZero();
        try (Connection c = db.connect()) {
            assertThat(TableRows.count(c, "guarded")).isEqualTo(3);
        }
        assertThat(load(rows.toString(), "--table", "guarded", "--append", "--replace").exit()).isEqualTo(2);
    }

    @Test
    void a_missing_table_is_created_only_when_asked() throws Exception {
        Path rows = file("rows.tsv", TsvRows.tsv(List.of(TsvRows.row("a", "Mon", 1, "1.0", "1.0"))));
        LoadRun run = load(rows.toString(), "--table", "never_created");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("table \"never_created\" does not exist (--create creates it)");

        // A failed load under --create leaves no table behind either: CREATE is in the transaction.
        Path bad = file("bad.tsv", "a\tb\n");
        assertThat(load(bad.toString(), "--table", "never_created", "--create").exit()).isEqualTo(1);
        try (Connection c = db.connect(); Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT to_regclass('never_created') IS NULL")) {
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void gzip_on_standard_input_with_a_header_line_loads() throws Exception {
        List<List<String>> rows = TsvRows.hostileRows();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TagStatsJob.HEADER.getBytes(UTF_8));
            out.write(TsvRows.tsv(rows).getBytes(UTF_8));
        }
        LoadRun run = LoadRun.run(new ByteArrayInputStream(gz.toByteArray()), ENV,
                withUrl("-", "--table", "from_stdin", "--create"));

        assertThat(run.exit()).as(run.err()).isZero();
        try (Connection c = db.connect()) {
            assertThat(TableRows.read(c, "from_stdin")).containsExactlyElementsOf(TsvRows.canonical(rows));
        }
    }

    @Test
    void a_folder_of_part_files_loads_in_name_order_skipping_other_files() throws Exception {
        List<List<String>> rows = TsvRows.hostileRows();
        Path parts = Files.createDirectory(dir.resolve("out"));
        String first = TsvRows.tsv(rows.subList(0, 10));
        String second = TsvRows.tsv(rows.subList(10, rows.size()));
        // The last part ends without LF; the first is gzipped; Spark's marker and checksum files are ignored.
        Files.writeString(parts.resolve("part-00001"), second.substring(0, second.length() - 1), UTF_8);
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(parts.resolve("part-00000.gz")))) {
            out.write(first.getBytes(UTF_8));
        }
        Files.writeString(parts.resolve("_SUCCESS"), "");
        Files.writeString(parts.resolve(".part-00000.gz.crc"), "junk\n");

        LoadRun run = load(parts.toString(), "--table", "from_parts", "--create");

        assertThat(run.exit()).as(run.err()).isZero();
        try (Connection c = db.connect()) {
            assertThat(TableRows.read(c, "from_parts")).containsExactlyElementsOf(TsvRows.canonical(rows));
        }
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(load(empty.toString(), "--table", "from_parts", "--append").err()).contains("no part-* files in " + empty);
    }

    @Test
    void the_password_is_never_printed() throws Exception {
        Path rows = file("rows.tsv", TsvRows.tsv(List.of(TsvRows.row("a", "Mon", 1, "1.0", "1.0"))));
        String withPassword = db.jdbcUrl() + "&password=" + PostgresServer.PASSWORD;

        // Right password in the URL, a failing load: the message echoes the URL, masked.
        LoadRun missing = LoadRun.run(Map.of(), rows.toString(), "--table", "no.such_schema_table", "--jdbc-url", withPassword);
        // Wrong password from PGPASSWORD: refused by the server.
        LoadRun refused = LoadRun.run(Map.of("PGPASSWORD", "wrong-" + PostgresServer.PASSWORD), rows.toString(),
                "--table", "t", "--jdbc-url", db.jdbcUrl());
        // Right password from the environment: it loads.
        LoadRun loaded = LoadRun.run(ENV, rows.toString(), "--table", "secret_ok", "--create", "--jdbc-url", db.jdbcUrl());

        assertThat(missing.exit()).isEqualTo(1);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("password authentication failed");
        assertThat(loaded.exit()).as(loaded.err()).isZero();
        for (LoadRun run : List.of(missing, refused, loaded)) {
            assertThat(run.err() + run.out()).doesNotContain(PostgresServer.PASSWORD);
        }
    }
}
