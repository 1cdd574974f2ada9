package tally.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows for the load tests, written by the contract's rules (SPEC-stats.md, "The row") from decoded
 * values, and the canonical form the tests compare: every field as a string, floats as Java prints
 * the double they parse to, so a row read back from a table compares field by field.
 */
final class TsvRows {
    /** Ids and date parts that a careless loader would mangle, one per row. */
    static final List<String> HOSTILE_TEXT = List.of("tab\there", "line\nbreak", "carriage\rreturn", "back\\slash",
            "\\N", "", "emoji \uD83D\uDE00 \u65E5\u672C\u8A9E", "\\", "ends with backslash\\", "\\\\N", "\\.",
            "two\n\nbreaks\t\t", "NULL", "\u0001control\u001f", "'quote\" and ;");

    private TsvRows() {
    }

    /** A backslash before TAB, LF, CR and backslash; NUL dropped. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\t' || c == '\n' || c == '\r' || c == '\\') {
                b.append('\\');
            }
            if (c != 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** One decoded row: seven texts, then num_tags, sum, avg, f0..f9 as printed in the file. */
    static List<String> row(String id, String weekday, int numTags, String sum, String avg) {
        List<String> row = new ArrayList<>(List.of(id, weekday, "Sep", "2009", "11", "36", "20",
                Integer.toString(numTags), sum, avg));
        for (int i = 0; i < 10; i++) {
            row.add(Integer.toString(i == 4 ? numTags : 0));
        }
        return row;
    }

    /** The rows as a file: text fields escaped, TAB-separated, LF-terminated. */
    static String tsv(List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                b.append(i == 0 ? "" : "\t").append(i < 7 ? escape(row.get(i)) : row.get(i));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The hostile values as ids, and as weekdays, with plain numbers; ids are unique. */
    static List<List<String>> hostileRows() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < HOSTILE_TEXT.size(); i++) {
            String text = HOSTILE_TEXT.get(i);
            rows.add(row(text, "w" + i, i + 1, (i * 5) + ".0", i == 0 ? "0.0" : "5.0"));
            rows.add(row("weekday-" + i, text, 3, "22.0", "7.33333333333"));
        }
        rows.add(row("tiny", "Sun", 20000, "1.0", "5e-05"));
        rows.add(row("large", "Sun", 2147483647, "1.23456789012e+12", "1.5"));
        return rows;
    }

    /** The contract's rows read back: fields split at unescaped TABs, rows at unescaped LFs, escapes undone. */
    static List<List<String>> decode(String tsv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < tsv.length(); i++) {
            char c = tsv.charAt(i);
            if (c == '\\') {
                field.append(tsv.charAt(++i));
            } else if (c == '\t') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return rows;
    }

    /** Parses the decoded rows' numbers the way a table stores them, for comparing with what is read back. */
    static List<List<String>> canonical(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> row : rows) {
            List<String> c = new ArrayList<>(row);
            c.set(8, Double.toString(Double.parseDouble(row.get(8))));
            c.set(9, Double.toString(Double.parseDouble(row.get(9))));
            out.add(c);
        }
        out.sort((a, b) -> String.join("\u0000", a).compareTo(String.join("\u0000", b)));
        return out;
    }
}
