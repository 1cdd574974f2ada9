package tally.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tag-stats job written as DuckDB SQL: the yardstick of the benchmarks.
 *
 * <p>Reads only {@code id}, {@code updated} and {@code tags} with {@code read_json}, computes the same
 * twenty columns per record as {@code tally.job.TagStatsJob} (docs/stats-contract.md, "Per line" and "The row") and writes
 * them sorted by id as a tab-separated file; or computes aggregates only. Only the query is timed: the
 * driver is loaded and a connection opened before the clock starts, as in the reference figures the targets were set against.
 *
 * <p>Where it differs from Tally, in DuckDB's favour: floats are printed the way DuckDB prints doubles
 * (not Python's {@code %.12g}), text is written as it is (no backslash escaping), ties on id are not
 * kept in input order, a tag element without a string {@code term} is not rejected, and the aggregates
 * leave out the top terms. And one DuckDB behaviour: its reader carries an unclosed object over to the
 * next line, so it loses the record after a truncated line. {@code DuckDbJobTest} checks the rest: same
 * rows as Tally on valid records, same count when lines are skipped for any other reason.
 *
 * <p>Two formulations of reading {@code id}, both what a careful DuckDB user might write
 * ({@link IdColumn}): as {@code JSON}, keeping only string ids as Tally does ({@code bad_id}), or as
 * {@code VARCHAR}, which reads in about two thirds of the time but turns a number or boolean id into
 * its text and keeps the record (Tally skips it), and an object or array id into JSON text. The
 * benchmarks report the faster as "DuckDB".
 */
public final class DuckDbJob implements AutoCloseable {

    /** How {@code id} is read: the two formulations of the class comment. */
    public enum IdColumn {
        /** {@code id} as JSON, only string ids kept: Tally's rule. */
        JSON("'JSON'", "id ->> '$'", "AND json_type(id) = 'VARCHAR'"),
        /** {@code id} as VARCHAR: faster; non-string ids become text and are kept. */
        VARCHAR("'VARCHAR'", "id", "AND id IS NOT NULL");

        private final String type;
        private final String select;
        private final String filter;

        IdColumn(String type, String select, String filter) {
            this.type = type;
            this.select = select;
            this.filter = filter;
        }
    }

    /** Per-record columns, one row per record Tally keeps. {@code {input}} is the input path, quoted. */
    private static final String RECORDS = """
        WITH src AS (
          SELECT id, updated, tags
          FROM read_json({input}, format = 'newline_delimited', ignore_errors = true,
                         columns = {id: {idType}, updated: 'VARCHAR', tags: 'STRUCT(term VARCHAR)[]'})
        ), split AS (
          SELECT {idSelect} AS id, string_split(replace(updated, ',', ''), ' ') AS u, tags,
                 list_transform(tags, t -> length(t.term)) AS lens
          FROM src
          WHERE len(tags) > 0 AND updated IS NOT NULL {idFilter}
        ), timed AS (
          SELECT id, u, string_split(u[5], ':') AS t, lens, list_filter(lens, l -> l < 10) AS short
          FROM split
          WHERE len(u) >= 5
        )
        SELECT id, u[1] AS weekday, u[3] AS month, u[4] AS year, t[1] AS hour, t[2] AS minute, t[3] AS second,
               len(lens) AS num_tags,
               coalesce(list_sum(short), 0)::DOUBLE AS sum_tag_len,
               coalesce(list_sum(short), 0)::DOUBLE / len(lens) AS avg_tag_len,
               len(list_filter(short, l -> l = 0)) AS f0, len(list_filter(short, l -> l = 1)) AS f1,
               len(list_filter(short, l -> l = 2)) AS f2, len(list_filter(short, l -> l = 3)) AS f3,
               len(list_filter(short, l -> l = 4)) AS f4, len(list_filter(short, l -> l = 5)) AS f5,
               len(list_filter(short, l -> l = 6)) AS f6, len(list_filter(short, l -> l = 7)) AS f7,
               len(list_filter(short, l -> l = 8)) AS f8, len(list_filter(short, l -> l = 9)) AS f9
        FROM timed
        WHERE len(t) >= 3
        """;

    private static final String AGGREGATES = """
        SELECT count(*) AS kept, sum(num_tags) AS tags, min(num_tags), max(num_tags), avg(num_tags),
               avg(avg_tag_len), sum(f0), sum(f1), sum(f2), sum(f3), sum(f4), sum(f5), sum(f6), sum(f7),
               sum(f8), sum(f9), histogram(weekday), histogram(hour), histogram(year || ' ' || month)
        FROM ({records})
        """;

    /** A query's answer and how long DuckDB took for it. */
    public record Timing(long rows, double seconds) {
    }

    private final Connection connection;

    /** Opens an in-memory database limited to {@code threads} threads (the benchmarks compare on 2 cores). */
    public DuckDbJob(int threads) throws SQLException {
        this.connection = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET threads = " + threads);
            statement.execute("SET preserve_insertion_order = false");
            // The JSON reader is an extension: load it now so its start-up is not timed.
            statement.execute("LOAD json");
        }
    }

    /** Writes one row per kept record, sorted by id, tab-separated, no header; returns the row count. */
    public Timing writeRows(Path input, Path rowsTsv) throws SQLException {
        return writeRows(input, rowsTsv, IdColumn.JSON);
    }

    /** {@link #writeRows(Path, Path)} with {@code id} read as {@code idColumn} says. */
    public Timing writeRows(Path input, Path rowsTsv, IdColumn idColumn) throws SQLException {
        String sql = "COPY (" + records(input, idColumn) + " ORDER BY id) TO " + literal(rowsTsv.toString())
            + " (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '')";
        try (Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            long rows = statement.executeLargeUpdate(sql);
            return new Timing(rows, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Computes counts, the tag-length histogram and rows by weekday, hour and month; returns the kept count. */
    public Timing aggregates(Path input) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            try (ResultSet result = statement.executeQuery(AGGREGATES.replace("{records}", records(input, IdColumn.JSON)))) {
                if (!result.next()) {
                    throw new SQLException("an aggregate query returned no row");
                }
                long kept = result.getLong(1);
                for (int column = 2; column <= result.getMetaData().getColumnCount(); column++) {
                    result.getObject(column);
                }
                return new Timing(kept, (System.nanoTime() - start) / 1e9);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private static String records(Path input, IdColumn id) {
        return RECORDS.replace("{input}", literal(input.toString())).replace("{idType}", id.type)
            .replace("{idSelect}", id.select).replace("{idFilter}", id.filter);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * {@code DuckDbJob FILE ROWS.tsv [THREADS]}: prints one JSON line with the row counts and query times
     * in seconds, which {@code bench/run.sh} collects: {@code rows_seconds} is the faster formulation's,
     * {@code rows_json_id_seconds} and {@code rows_varchar_id_seconds} each one's.
     */
    public static void main(String[] args) throws SQLException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: DuckDbJob FILE ROWS.tsv [THREADS]");
            System.exit(2);
        }
        int threads = args.length == 3 ? Integer.parseInt(args[2]) : 2;
        try (DuckDbJob job = new DuckDbJob(threads)) {
            Timing json = job.writeRows(Path.of(args[0]), Path.of(args[1]), IdColumn.JSON);
            Timing varchar = job.writeRows(Path.of(args[0]), Path.of(args[1]), IdColumn.VARCHAR);
            Timing aggregates = job.aggregates(Path.of(args[0]));
            System.out.printf("{\"rows\": %d, \"rows_seconds\": %.3f, \"rows_json_id_seconds\": %.3f, "
                + "\"rows_varchar_id_seconds\": %.3f, \"aggregate_rows\": %d, \"aggregates_seconds\": %.3f}%n",
                json.rows(), Math.min(json.seconds(), varchar.seconds()), json.seconds(), varchar.seconds(),
                aggregates.rows(), aggregates.seconds());
        }
    }
}
