package tally.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A load into Redshift: the checked rows go to S3 as gzip parts with a manifest ({@link S3Parts}), then
 * one transaction runs {@link LoadTarget#prepare}, Redshift's {@code COPY ... MANIFEST} of them, and a
 * check that it loaded exactly the rows sent. The table is checked once before the upload too, so a
 * refused load fails before it spends time uploading.
 */
final class RedshiftLoad {
    /** Where Redshift leaves the reasons a COPY failed, for the error message. */
    static final String LOAD_ERRORS_QUERY =
            "SELECT line_number, colname, err_reason, raw_line FROM stl_load_errors WHERE query = pg_last_copy_id()";

    private final Database database;
    private final LoadTarget target;
    private final String iamRole;

    RedshiftLoad(Database database, LoadTarget target, String iamRole) {
        this.database = database;
        this.target = target;
        RowsTable.literal(iamRole);
        this.iamRole = iamRole;
    }

    long run(List<RowSources.Source> sources, S3Client s3, URI location, long partBytes, Progress progress,
            PrintStream err) throws SQLException, IOException, LoadException, BadRowException {
        RowsTable.literal(location.toString());
        try (Connection connection = database.connect()) {
            target.precheck(connection);
            connection.setAutoCommit(false);

            S3Parts parts = new S3Parts(s3, location, partBytes);
            long rows = new RowPump(RowChecker.forRedshift(RowsTable.redshiftWidths()), progress).pump(sources, parts);
            String manifest = parts.finish();
            if (manifest != null) {
                err.println("tally load: " + parts.keys().size() + " parts and " + manifest + " uploaded");
            }
            boolean committed = false;
            try {
                target.prepare(connection, target.table().redshiftCreate(), false);
                if (manifest != null) {
                    copy(connection, manifest, rows);
                }
                connection.commit();
                committed = true;
            } finally {
                if (!committed) {
                    PostgresLoad.rollbackQuietly(connection);
                }
            }
            return rows;
        }
    }

    private void copy(Connection connection, String manifest, long rows) throws SQLException, LoadException {
        try (Statement sql = connection.createStatement()) {
            try {
                sql.execute(target.table().redshiftCopy(manifest, iamRole));
            } catch (SQLException e) {
                throw new LoadException("Redshift's COPY failed: " + database.masked(e.getMessage())
                        + "; the rows it refused are in STL_LOAD_ERRORS: " + LOAD_ERRORS_QUERY, e);
            }
            long loaded;
            try (ResultSet rs = sql.executeQuery("SELECT pg_last_copy_count()")) {
                loaded = rs.next() ? rs.getLong(1) : -1;
            }
            if (loaded != rows) {
                throw new LoadException("Redshift loaded " + loaded + " rows, " + rows + " were sent; nothing was"
                        + " committed. See STL_LOAD_ERRORS: " + LOAD_ERRORS_QUERY);
            }
        }
    }
}
