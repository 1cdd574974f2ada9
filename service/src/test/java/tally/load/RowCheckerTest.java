package tally.load;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RowCheckerTest {
    private static final String ROW = String.join("\t", TsvRows.row("id", "Sun", 4, "21.0", "5.25")) + "\n";

    /** Checks {@code text} in chunks of {@code chunk} bytes; returns the bytes as they would go to COPY. */
    private static String check(RowChecker checker, String text, int chunk) throws BadRowException {
        byte[] bytes = text.getBytes(UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        checker.startSource("rows.tsv");
        for (int off = 0; off < bytes.length; off += chunk) {
            int len = Math.min(chunk, bytes.length - off);
            checker.check(bytes, off, len);
            out.write(bytes, off, len);
        }
        if (checker.endSource()) {
            out.write('\n');
        }
        return out.toString(UTF_8);
    }

    private static String postgres(String text) throws BadRowException {
        return check(RowChecker.forPostgres(), text, 1 << 16);
    }

    @Test
    void the_contracts_escapes_become_postgres_spelling_at_any_chunk_size() throws Exception {
        String tsv = TsvRows.tsv(TsvRows.hostileRows());
        StringBuilder expected = new StringBuilder();
        for (List<String> row : TsvRows.hostileRows()) {
            for (int i = 0; i < row.size(); i++) {
                String escaped = row.get(i).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                        .replace("\r", "\\r");
                expected.append(i == 0 ? "" : "\t").append(escaped);
            }
            expected.append('\n');
        }
        for (int chunk : List.of(1, 2, 3, 7, 64, 1 << 16)) {
            RowChecker checker = RowChecker.forPostgres();
            assertThat(check(checker, tsv, chunk)).isEqualTo(expected.toString());
            assertThat(checker.rows()).isEqualTo(TsvRows.hostileRows().size());
        }
        assertThat(check(RowChecker.forRedshift(RowsTable.redshiftWidths()), tsv, 5)).isEqualTo(tsv);
    }

    @Test
    void a_last_row_without_lf_is_ended_and_an_empty_input_has_no_rows() throws Exception {
        assertThat(postgres(ROW.strip())).isEqualTo(ROW);
        RowChecker empty = RowChecker.forPostgres();
        assertThat(check(empty, "", 1)).isEmpty();
        assertThat(empty.rows()).isZero();
    }

    @Test
    void check_returns_the_end_of_the_last_complete_row() throws Exception {
        byte[] two = (ROW + ROW.substring(0, 10)).getBytes(UTF_8);
        assertThat(RowChecker.forPostgres().check(two, 0, two.length)).isEqualTo(ROW.length());
        assertThat(RowChecker.forPostgres().check(two, 0, 10)).isEqualTo(-1);
    }

    @Test
    void each_broken_rule_names_the_line_the_row_starts_on() {
        String lf = TsvRows.tsv(List.of(TsvRows.row("a\nb", "Sun", 1, "1.0", "1.0")));
        List<List<String>> cases = List.of(
                List.of(ROW.replace("\t0\n", "\n"), "line 3: expected 20 TAB-separated fields, found 19"),
                List.of(ROW.replace("\n", "\t0\n"), "line 3: more than 20 fields"),
                List.of(ROW.replace("\t4\t", "\t-1\t"), "line 3: field 8 (num_tags) is \"-1\": not a whole number"),
                List.of(ROW.replace("\t4\t", "\t2147483648\t"), "line 3: field 8 (num_tags) is \"2147483648\": not a whole"),
                List.of(ROW.replace("21.0", "1."), "line 3: field 9 (sum_tag_len) is \"1.\": not a number as Python 2"),
                List.of(ROW.replace("\t0\t0\t0\t0\t4\t", "\t0\t0\t0\t0\t\t"), "line 3: field 15 (f4) is \"\": not a whole"),
                List.of(ROW.replace("id", "\\N"), "line 3: a backslash must come before TAB, LF, CR or another backslash, not 'N'"),
                List.of(ROW.replace("id", "i\rd"), "line 3: a CR that is not escaped"),
                List.of(ROW.replace("id", "i\0d"), "line 3: a NUL byte"),
                List.of(ROW.replace("\t4\t", "\t4\\\t"), "line 3: field 8 (num_tags) is \"4\": a backslash"),
                List.of(ROW.replace("\t4\t", "\t4\u00e9\t"), "line 3: field 8 (num_tags) is \"4\": a non-ASCII byte"),
                List.of(ROW.replace("\t4\t", "\t4\u0001\t"), "line 3: field 8 (num_tags) is \"4\": a control character"),
                List.of(ROW.replace("\t4\t", "\t" + "4".repeat(41) + "\t"), "line 3: field 8 (num_tags) is"),
                List.of("\\", "line 3: the input ends inside an escape"));
        for (List<String> bad : cases) {
            String input = lf + bad.get(0);
            assertThatThrownBy(() -> postgres(input)).as(bad.get(0)).isInstanceOf(BadRowException.class)
                    .hasMessageStartingWith("rows.tsv " + bad.get(1));
        }
        assertThat(new BadRowException("f", 7, "x").line()).isEqualTo(7);
    }

    @Test
    void utf8_is_strict_rfc_3629() {
        byte[] row = ROW.getBytes(UTF_8);
        for (byte[] bad : List.of(new byte[] {(byte) 0xc0, (byte) 0x80}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xff},
                new byte[] {(byte) 0xe2, (byte) 0x82})) {
            byte[] input = new byte[bad.length + row.length];
            System.arraycopy(bad, 0, input, 0, bad.length);
            System.arraycopy(row, 0, input, bad.length, row.length);
            assertThatThrownBy(() -> RowChecker.forPostgres().check(input, 0, input.length))
                    .as(Arrays.toString(bad)).hasMessageContaining("invalid UTF-8");
        }
        assertThatThrownBy(() -> postgres("\u00e9".substring(0, 1) + "x")).hasMessageContaining("expected 20");
        byte[] cut = {(byte) 0xe2, (byte) 0x82};
        RowChecker checker = RowChecker.forPostgres();
        assertThatThrownBy(() -> {
            checker.check(cut, 0, 2);
            checker.endSource();
        }).hasMessageContaining("cut off by the end");
    }

    @Test
    void redshift_widths_are_checked_on_unescaped_bytes() throws Exception {
        int[] widths = RowsTable.redshiftWidths();
        String wide = ROW.replace("Sun", "\\\\".repeat(RowsTable.REDSHIFT_PART_BYTES));
        assertThat(check(RowChecker.forRedshift(widths), wide, 100)).isEqualTo(wide);
        String wider = ROW.replace("Sun", "x".repeat(RowsTable.REDSHIFT_PART_BYTES + 1));
        assertThatThrownBy(() -> check(RowChecker.forRedshift(widths), wider, 100))
                .hasMessageContaining("field 2 (weekday) has 257 bytes; the Redshift column holds 256");
        assertThat(postgres(wider)).isEqualTo(wider);
    }

    @Test
    void floats_are_the_forms_python_2_printed() {
        for (String ok : List.of("0.0", "21.0", "5.25", "7.33333333333", "5e-05", "1.5e+12", "-2.5", "nan", "inf", "-inf", "12")) {
            assertThat(RowChecker.isPythonFloat(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("", "-", ".5", "1.", "1e", "1e+", " 1", "1d", "0x1p3", "NaN", "Infinity", "1.0.0", "1E5")) {
            assertThat(RowChecker.isPythonFloat(bad)).as(bad).isFalse();
        }
    }
}
