package tally.load;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A load into PostgreSQL: one transaction holding {@link LoadTarget#prepare} and a
 * {@code COPY ... FROM STDIN} that the checked rows stream into through the driver's CopyManager.
 * Anything wrong (a bad row, a lost connection, a count that does not match) rolls it all back: the
 * table is exactly as before.
 */
final class PostgresLoad {
    private final Database database;
    private final LoadTarget target;

    PostgresLoad(Database database, LoadTarget target) {
        this.database = database;
        this.target = target;
    }

    /** Loads every source in order and returns the number of rows, once committed. */
    long run(List<RowSources.Source> sources, Progress progress)
            throws SQLException, IOException, LoadException, BadRowException {
        try (Connection connection = database.connect()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                target.prepare(connection, target.table().postgresCreate(), true);
                long rows = copy(connection, sources, progress);
                connection.commit();
                committed = true;
                return rows;
            } finally {
                if (!committed) {
                    rollbackQuietly(connection);
                }
            }
        }
    }

    private long copy(Connection connection, List<RowSources.Source> sources, Progress progress)
            throws SQLException, IOException, LoadException, BadRowException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(target.table().postgresCopy());
        try {
            long rows = new RowPump(RowChecker.forPostgres(), progress)
                    .pump(sources, (buf, off, len, rowEnd) -> copy.writeToCopy(buf, off, len));
            long copied = copy.endCopy();
            if (copied != rows) {
                throw new LoadException("PostgreSQL copied " + copied + " rows, the input has " + rows);
            }
            return rows;
        } finally {
            if (copy.isActive()) {
                // Ends the COPY with an error; the rollback follows.
                copy.cancelCopy();
            }
        }
    }

    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The load's own failure is the one to report; closing the connection discards the work anyway.
        }
    }
}
