package tally.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A table's rows read back through JDBC with their types (text, int, double), in canonical form. */
final class TableRows {
    private TableRows() {
    }

    static List<List<String>> read(Connection connection, String table) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT " + RowsTable.columnList() + " FROM " + table)) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    row.add(rs.getString(i));
                }
                row.add(Integer.toString(rs.getInt(8)));
                row.add(Double.toString(rs.getDouble(9)));
                row.add(Double.toString(rs.getDouble(10)));
                for (int i = 11; i <= 20; i++) {
                    row.add(Integer.toString(rs.getInt(i)));
                }
                rows.add(row);
            }
        }
        return TsvRows.canonical(rows);
    }

    static long count(Connection connection, String table) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
