package tally.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The table a load fills and what may happen to rows already there. {@link #prepare} runs first in the
 * load's transaction, so it and the COPY commit or roll back together.
 *
 * <p>{@code --replace} is {@code DELETE} then {@code COPY} in one transaction, chosen over the faster
 * alternatives for what concurrent readers see:
 * <ul>
 * <li>{@code DELETE} is MVCC: readers are never blocked, and every snapshot taken before the commit,
 * even a REPEATABLE READ transaction's, goes on seeing the old rows; after it, the new ones. The cost
 * is the dead old rows, which (auto)vacuum reclaims later.</li>
 * <li>{@code TRUNCATE} holds ACCESS EXCLUSIVE for the whole COPY (every reader waits for the load), and
 * is not MVCC-safe: a snapshot older than the commit then sees an empty table (PostgreSQL manual,
 * TRUNCATE). Redshift's TRUNCATE commits the transaction it runs in.</li>
 * <li>Loading a new table and renaming it over the old one takes ACCESS EXCLUSIVE at the swap (queued
 * behind every running reader, queuing all later ones), drops the old table's grants and the views on
 * it, and shows an older snapshot an empty table too.</li>
 * </ul>
 * In PostgreSQL the table is first locked in SHARE ROW EXCLUSIVE mode: it does not conflict with
 * readers (ACCESS SHARE) but does with every writer and with itself, so two loads of one table run
 * one after the other and the emptiness check stays true until the commit. It conflicts with
 * autovacuum too: a load started while autovacuum works on the table waits until autovacuum yields,
 * which it does after deadlock_timeout (1 s by default), as it does for any conflicting lock (measured:
 * a load right after a 930,000-row load of the same table started about 1 s late). Redshift has no
 * lock modes (its LOCK blocks readers too); its serializable isolation aborts one of two conflicting
 * loads.
 */
record LoadTarget(RowsTable table, boolean create, Mode mode) {
    /** What a load does with rows already in the table. */
    enum Mode {
        /** The default: refuse, so a second run cannot double the rows by accident. */
        EMPTY_ONLY,
        APPEND,
        REPLACE
    }

    /** SQLSTATE undefined_table. */
    private static final String UNDEFINED_TABLE = "42P01";

    /** Creates (when asked), locks (when {@code lock}), checks, and empties (for --replace) the table. */
    void prepare(Connection connection, String createSql, boolean lock) throws SQLException, LoadException {
        try (Statement sql = connection.createStatement()) {
            if (create) {
                sql.execute(createSql);
            }
            if (lock) {
                sql.execute("LOCK TABLE " + table.sqlName() + " IN SHARE ROW EXCLUSIVE MODE");
            }
            if (mode == Mode.EMPTY_ONLY && hasRows(sql)) {
                throw alreadyHasRows();
            }
            if (mode == Mode.REPLACE) {
                sql.executeUpdate("DELETE FROM " + table.sqlName());
            }
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw doesNotExist(e);
            }
            throw e;
        }
    }

    /**
     * The checks of {@link #prepare} alone, outside the load's transaction: a load that would be refused
     * is refused before it uploads anything. Changes nothing.
     */
    void precheck(Connection connection) throws SQLException, LoadException {
        try (Statement sql = connection.createStatement()) {
            if (mode == Mode.EMPTY_ONLY && hasRows(sql)) {
                throw alreadyHasRows();
            }
        } catch (SQLException e) {
            if (!UNDEFINED_TABLE.equals(e.getSQLState())) {
                throw e;
            }
            if (!create) {
                throw doesNotExist(e);
            }
        }
    }

    private LoadException alreadyHasRows() {
        return new LoadException("table " + table.sqlName() + " already has rows: --append adds to them,"
                + " --replace swaps them for the new ones");
    }

    private LoadException doesNotExist(SQLException e) {
        return new LoadException("table " + table.sqlName() + " does not exist (--create creates it)", e);
    }

    /** Whether the table has a row: reads one, not a count. */
    boolean hasRows(Statement sql) throws SQLException {
        try (ResultSet rs = sql.executeQuery("SELECT 1 FROM " + table.sqlName() + " LIMIT 1")) {
            return rs.next();
        }
    }
}
