package tally.load;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The warehouse table of the rows (SPEC-stats.md, "The row") and the SQL that creates and fills it, in
 * PostgreSQL's and Redshift's dialects.
 *
 * <p>Column types, and why:
 * <ul>
 * <li>{@code id} and the six date parts are text: the contract copies the date parts verbatim from
 * {@code updated} without validation ({@code "Foo, 99 Bar 1999 aa:bb:cc"} is kept), so they are not
 * dates or numbers; ids repeat (equal ids keep their input order), so there is no key.</li>
 * <li>{@code num_tags} and {@code f0}..{@code f9} are {@code integer}: they are counts of tags in one
 * line, and a line is at most {@code --max-line-bytes}, an int, with at least 11 bytes per tag, so a
 * count stays below 2^31.</li>
 * <li>{@code sum_tag_len} and {@code avg_tag_len} are {@code double precision}: the contract defines
 * them as IEEE doubles (the old job's Python floats); {@code numeric} would claim a precision the
 * values (12 significant digits when printed) never had.</li>
 * </ul>
 * Every column is NOT NULL: no row has a missing value, so a NULL could only come from a COPY
 * misreading a field, and would then fail the load instead of hiding in the table.
 */
final class RowsTable {
    enum Kind { TEXT, COUNT, FLOAT }

    record Column(String name, Kind kind) {
        boolean isNumber() {
            return kind != Kind.TEXT;
        }

        boolean isInteger() {
            return kind == Kind.COUNT;
        }

        boolean isFloat() {
            return kind == Kind.FLOAT;
        }
    }

    static final List<Column> COLUMNS = List.of(
            new Column("id", Kind.TEXT), new Column("weekday", Kind.TEXT), new Column("month", Kind.TEXT),
            new Column("year", Kind.TEXT), new Column("hour", Kind.TEXT), new Column("minute", Kind.TEXT),
            new Column("second", Kind.TEXT), new Column("num_tags", Kind.COUNT),
            new Column("sum_tag_len", Kind.FLOAT), new Column("avg_tag_len", Kind.FLOAT),
            new Column("f0", Kind.COUNT), new Column("f1", Kind.COUNT), new Column("f2", Kind.COUNT),
            new Column("f3", Kind.COUNT), new Column("f4", Kind.COUNT), new Column("f5", Kind.COUNT),
            new Column("f6", Kind.COUNT), new Column("f7", Kind.COUNT), new Column("f8", Kind.COUNT),
            new Column("f9", Kind.COUNT));

    /**
     * Redshift measures VARCHAR in bytes, at most 65535: ids are URLs (any length the input allowed),
     * the date parts are words and numbers of a few characters, 256 leaving room for odd ones. The
     * checker holds rows to these widths so a long value fails with its line number before any upload,
     * not later in STL_LOAD_ERRORS.
     */
    static final int REDSHIFT_ID_BYTES = 65_535;
    static final int REDSHIFT_PART_BYTES = 256;

    /** Plain SQL identifiers, optionally schema-qualified; folded to lower case as unquoted SQL names are. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

    private final String sqlName;

    private RowsTable(String sqlName) {
        this.sqlName = sqlName;
    }

    /**
     * The table {@code name} ({@code tag_rows} or {@code warehouse.tag_rows}). Each part is quoted in
     * the SQL (so {@code order} works too) after folding to lower case, which is what an unquoted name
     * means in psql: {@code Tag_Rows} and {@code tag_rows} are the same table.
     */
    static RowsTable named(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("table names are letters, digits and _ (up to 63, not starting"
                    + " with a digit), optionally schema.table: '" + name + "'");
        }
        String quoted = List.of(name.toLowerCase(Locale.ROOT).split("\\.")).stream()
                .map(part -> "\"" + part + "\"").collect(Collectors.joining("."));
        return new RowsTable(quoted);
    }

    /** The quoted name, ready for SQL. */
    String sqlName() {
        return sqlName;
    }

    static String columnList() {
        return COLUMNS.stream().map(c -> "\"" + c.name() + "\"").collect(Collectors.joining(", "));
    }

    String postgresCreate() {
        return create("text", "integer", "double precision", "text") + ")";
    }

    String redshiftCreate() {
        return create("VARCHAR(" + REDSHIFT_ID_BYTES + ")", "INTEGER", "DOUBLE PRECISION",
                "VARCHAR(" + REDSHIFT_PART_BYTES + ")") + ") DISTSTYLE AUTO SORTKEY AUTO";
    }

    private String create(String idType, String countType, String floatType, String partType) {
        StringBuilder sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(sqlName).append(" (");
        for (int i = 0; i < COLUMNS.size(); i++) {
            Column c = COLUMNS.get(i);
            String type = switch (c.kind()) {
                case TEXT -> i == 0 ? idType : partType;
                case COUNT -> countType;
                case FLOAT -> floatType;
            };
            sql.append(i == 0 ? "" : ", ").append('"').append(c.name()).append("\" ").append(type).append(" NOT NULL");
        }
        return sql.toString();
    }

    /**
     * Text format, TAB-separated, UTF-8 whatever the session's client_encoding. The NULL marker is the
     * two characters backslash and 0: PostgreSQL compares it with a field's raw bytes, and the checker
     * lets a backslash through only before t, n, r or another backslash, so no field can match it (and
     * were one to, it would spell a NUL, which the contract drops). The default marker {@code \N} is just
     * as unreachable after the check, but {@code \0} says "cannot occur" to a reader of the statement.
     */
    String postgresCopy() {
        return "COPY " + sqlName + " (" + columnList() + ") FROM STDIN (FORMAT text, DELIMITER E'\\t', NULL E'\\\\0', ENCODING 'UTF8')";
    }

    /**
     * Redshift's COPY from the parts a manifest lists, each option chosen from the COPY reference:
     * <ul>
     * <li>{@code MANIFEST}: exactly the parts this load wrote, each {@code mandatory}, never a stray file
     * under the prefix;</li>
     * <li>{@code GZIP}, {@code DELIMITER '\t'}, {@code ESCAPE}: the contract's escaping (a backslash before
     * TAB, LF, CR or backslash) is what ESCAPE reads;</li>
     * <li>{@code NULL AS '\0'}: NUL is the null marker, and the contract drops NUL from values, so an id
     * {@code \N} (Redshift's default marker) stays text;</li>
     * <li>{@code MAXERROR 0}: the first bad row fails the load (the default, written out); no
     * {@code ACCEPTINVCHARS}, {@code TRUNCATECOLUMNS}, {@code EMPTYASNULL} or {@code BLANKSASNULL}: each
     * would change values silently, and the checker has already refused what they would mend;</li>
     * <li>{@code COMPUPDATE OFF}: tables created here use Redshift's automatic encodings, so the sample
     * analysis an empty table would get is wasted time; {@code STATUPDATE ON}: the planner sees the new
     * rows. No DATEFORMAT or TIMEFORMAT: the date parts are text.</li>
     * </ul>
     */
    String redshiftCopy(String manifestUrl, String iamRole) {
        return "COPY " + sqlName + " (" + columnList() + ") FROM " + literal(manifestUrl) + " IAM_ROLE " + literal(iamRole)
                + " MANIFEST GZIP DELIMITER '\\t' ESCAPE NULL AS '\\0' MAXERROR 0 COMPUPDATE OFF STATUPDATE ON";
    }

    /**
     * A string literal for Redshift, which reads backslash escapes inside literals (its {@code '\t'} is a
     * TAB): values with a quote or a backslash are refused rather than escaped.
     */
    static String literal(String value) {
        if (value.indexOf('\'') >= 0 || value.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("a quote or backslash cannot appear in: " + value);
        }
        return "'" + value + "'";
    }

    /** Redshift's widths, for {@link RowChecker#forRedshift}. */
    static int[] redshiftWidths() {
        int[] widths = new int[COLUMNS.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = i == 0 ? REDSHIFT_ID_BYTES : REDSHIFT_PART_BYTES;
        }
        return widths;
    }
}
