package tally.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of docs/stats-contract.md "Per line", with literal lines and literal rows. */
@Tag("unit")
class LineRulesTest {
    /** The row of a line with id "a", the spec example's updated and one tag, "abc". */
    private static final String ONE_TAG_ABC_ROW = "a\tSun\tSep\t2009\t11\t36\t20\t1\t3.0\t3.0\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\n";

    private static final String TAGS = "\"tags\": [{\"term\": \"trips\"}, {\"term\": \"howto\"}, {\"term\": \"tips\"},"
            + " {\"term\": \"viagens\"}]";
    private static final String UPDATED = "\"updated\": \"Sun, 06 Sep 2009 11:36:20 +0000\"";
    private static final String ID = "\"id\": \"http://delicious.com/url/0001c173b0f84ea81d188336223f9d7d#linooliveira\"";
    private static final String SPEC_ROW = "http://delicious.com/url/0001c173b0f84ea81d188336223f9d7d#linooliveira"
            + "\tSun\tSep\t2009\t11\t36\t20\t4\t21.0\t5.25\t0\t0\t0\t0\t1\t2\t0\t1\t0\t0\n";

    @TempDir
    Path spill;

    private JobRun run(String input) {
        return JobRun.of(input, spill);
    }

    private static String record(String... members) {
        return "{" + String.join(", ", members) + "}";
    }

    /** A line made of raw bytes (for invalid UTF-8), with an LF after it. */
    private JobRun runBytes(String before, byte[] raw, String after) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes(before.getBytes(UTF_8));
        line.writeBytes(raw);
        line.writeBytes(after.getBytes(UTF_8));
        line.write('\n');
        return JobRun.of(line.toByteArray(), JobConfig.defaults(), Integer.MAX_VALUE, spill);
    }

    @Test
    void the_spec_example_gives_the_spec_row() {
        JobRun run = run(record(UPDATED, TAGS, ID) + "\n");

        assertThat(run.rowsText()).isEqualTo(SPEC_ROW);
        assertThat(run.counters().kept()).isEqualTo(1);
    }

    @Test
    void a_crlf_line_and_a_last_line_without_lf_both_count() {
        JobRun run = run(record(UPDATED, TAGS, ID) + "\r\n" + record(UPDATED, TAGS, ID));

        assertThat(run.rowsText()).isEqualTo(SPEC_ROW + SPEC_ROW);
        assertThat(run.counters().lines()).isEqualTo(2);
    }

    @Test
    void the_empty_string_after_a_final_lf_is_not_a_line_but_an_empty_line_is_invalid_json() {
        JobRun run = run(record(UPDATED, TAGS, ID) + "\n\n   \n");

        assertThat(run.counters().lines()).isEqualTo(3);
        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(2);
    }

    @Test
    void empty_input_has_no_lines_and_no_rows() {
        JobRun run = run("");

        assertThat(run.rows()).isEmpty();
        assertThat(run.counters().lines()).isZero();
        assertThat(run.result().summary().numTags().min()).isNull();
    }

    @Test
    void whitespace_and_crs_between_tokens_are_allowed() {
        JobRun run = run(" \t{\r" + UPDATED + " ,\r\t" + TAGS + "\r,\r" + ID + "\r} \t\r\n");

        assertThat(run.rowsText()).isEqualTo(SPEC_ROW);
    }

    // ---- rule 1: UTF-8 ----

    @ParameterizedTest(name = "bytes {0} are invalid UTF-8")
    @ValueSource(strings = {
        "C3 28",        // a lead byte without its continuation
        "80",           // a stray continuation byte
        "C0 AF",        // overlong "/"
        "E0 80 AF",     // overlong, three bytes
        "F0 80 80 AF",  // overlong, four bytes
        "ED A0 80",     // an encoded surrogate (U+D800)
        "ED BF BF",     // an encoded surrogate (U+DFFF)
        "F4 90 80 80",  // above U+10FFFF
        "F5 80 80 80",  // no such lead byte
        "FF",
        "E2 82",        // cut short before the closing quote
    })
    void invalid_utf8_in_a_string_is_invalid_json(String hex) {
        JobRun run = runBytes("{" + UPDATED + ", " + TAGS + ", \"id\": \"x", bytes(hex), "\"}");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(1);
        assertThat(run.rows()).isEmpty();
    }

    @Test
    void a_unicode_escape_needs_four_ascii_hex_digits() {
        // U+0663 is a digit, but not a hex digit of JSON's: found by fuzzing (where the reference parser was wrong).
        JobRun run = run("{" + UPDATED + ", " + TAGS + ", \"id\": \"\\u000\u0663\"}\n"
                + "{" + UPDATED + ", " + TAGS + ", \"id\": \"\\u00e9\"}\n");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(1);
        assertThat(run.counters().kept()).isEqualTo(1);
        assertThat(run.rowsText()).startsWith("\u00e9\t");
    }

    @Test
    void invalid_utf8_outside_strings_is_invalid_json() {
        String open = record(UPDATED, TAGS, ID);
        JobRun run = runBytes(open.substring(0, open.length() - 1) + ", \"x\": ", bytes("C3 A9"), "}");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(1);
    }

    @Test
    void valid_multibyte_utf8_is_kept_as_is() {
        JobRun run = runBytes("{" + UPDATED + ", " + TAGS + ", \"id\": \"a", bytes("C3 A9 E6 97 A5 EF BF BF F0 9F 8E B5 F4 8F BF BF"), "\"}");

        assertThat(run.rows()).startsWith(concat(bytes("61 C3 A9 E6 97 A5 EF BF BF F0 9F 8E B5 F4 8F BF BF"), "\t".getBytes(UTF_8)));
    }

    // ---- rule 2: one JSON value ----

    @Test
    void nan_and_infinities_are_accepted_as_values() {
        JobRun run = run(record(UPDATED, TAGS, ID, "\"a\": NaN", "\"b\": Infinity", "\"c\": [-Infinity, -0, 1.5e-3, 2E+9]") + "\n");

        assertThat(run.rowsText()).isEqualTo(SPEC_ROW);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "\"a\": -INF", "\"a\": +1", "\"a\": 01", "\"a\": 1.", "\"a\": .5", "\"a\": 1e", "\"a\": -", "\"a\": nan",
        "\"a\": infinity", "\"a\": True", "\"a\": 'x'", "\"a\": [1,]", "\"a\": {\"b\": 1,}", "\"a\": {1: 2}",
        "\"a\": \"\\x\"", "\"a\": \"\\u12G4\"", "\"a\": \"\\u12\"", "\"a\": nul", "\"a\" 1", "\"a\": [1 2]",
        "\"a\": \"\u0001\"", "\"a\": \"tab\there\"", "\"a\": \"\u001f\"",
    })
    void malformed_json_is_invalid_json(String member) {
        JobRun run = run(record(UPDATED, TAGS, ID, member) + "\n");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(1);
        assertThat(run.rows()).isEmpty();
    }

    @ParameterizedTest(name = "trailing {0}")
    @ValueSource(strings = {" {}", " x", ",", "}", " 1", " \"s\""})
    void anything_after_the_value_is_invalid_json(String trailing) {
        JobRun run = run(record(UPDATED, TAGS, ID) + trailing + "\n");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(1);
    }

    @Test
    void a_byte_order_mark_is_not_white_space() {
        JobRun run = run("\uFEFF" + record(UPDATED, TAGS, ID) + "\n");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(1);
    }

    @Test
    void duplicate_members_let_the_last_one_win() {
        String badFirst = record("\"tags\": 5", UPDATED, "\"id\": 7", TAGS, ID) + "\n";
        String badLast = record(TAGS, UPDATED, ID, "\"tags\": []") + "\n";

        assertThat(run(badFirst).rowsText()).isEqualTo(SPEC_ROW);
        assertThat(run(badLast).counters().skippedByReason().badTags()).isEqualTo(1);
    }

    @Test
    void member_names_written_with_escapes_match() {
        JobRun run = run(record(UPDATED.replace("updated", "up\\u0064ated"), TAGS.replace("\"term\"", "\"t\\u0065rm\""),
                ID.replace("\"id\"", "\"\\u0069d\"")) + "\n");

        assertThat(run.rowsText()).isEqualTo(SPEC_ROW);
    }

    @Test
    void nesting_of_one_thousand_levels_is_accepted_and_one_more_is_not() {
        // The record itself is level 1, so 999 arrays inside it make 1,000 levels.
        String deepest = "\"deep\": " + "[".repeat(999) + "]".repeat(999);
        String tooDeep = "\"deep\": " + "[".repeat(1000) + "]".repeat(1000);

        assertThat(run(record(UPDATED, TAGS, ID, deepest) + "\n").counters().kept()).isEqualTo(1);
        assertThat(run(record(UPDATED, TAGS, ID, tooDeep) + "\n").counters().skippedByReason().invalidJson())
                .isEqualTo(1);
        assertThat(run("[".repeat(100_000) + "\n").counters().skippedByReason().invalidJson()).isEqualTo(1);
    }

    // ---- rule 3 and 4 ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "true", "NaN", "-Infinity", "[{\"tags\": []}]"})
    void a_value_that_is_not_an_object_is_not_object(String value) {
        JobRun run = run(value + "\n");

        assertThat(run.counters().skippedByReason().notObject()).isEqualTo(1);
        assertThat(run.counters().skipped()).isEqualTo(1);
    }

    @Test
    void an_object_without_tags_is_no_tags_whatever_its_other_members() {
        JobRun run = run("{}\n" + record(UPDATED, ID) + "\n" + record("\"id\": 5", "\"updated\": null") + "\n"
                + record("\"tagz\": []", "\"nested\": {\"tags\": [{\"term\": \"a\"}]}") + "\n");

        assertThat(run.counters().noTags()).isEqualTo(4);
        assertThat(run.counters().skipped()).isZero();
        assertThat(run.rows()).isEmpty();
    }

    // ---- rule 5: tags ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "\"tags\": null", "\"tags\": \"trips\"", "\"tags\": []", "\"tags\": [1]", "\"tags\": [\"trips\"]",
        "\"tags\": [{}]", "\"tags\": [{\"term\": 5}]", "\"tags\": [{\"term\": null}]",
        "\"tags\": [{\"term\": [\"a\"]}]", "\"tags\": [{\"term\": \"a\"}, 2]", "\"tags\": [{\"label\": \"a\"}]",
        "\"tags\": {\"term\": \"a\"}", "\"tags\": [[{\"term\": \"a\"}]]",
    })
    void tags_that_are_not_a_non_empty_array_of_objects_with_a_string_term_are_bad_tags(String tags) {
        JobRun run = run(record(UPDATED, tags, ID) + "\n");

        assertThat(run.counters().skippedByReason().badTags()).isEqualTo(1);
        assertThat(run.rows()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "\"tags\": [{\"meta\": {\"term\": \"x\"}}]", // a term one level too deep
        "\"tags\": [{\"term\": \"abc\"}], \"tags\": [{\"label\": \"abc\"}]", // the last tags counts
    })
    void a_term_is_read_only_from_an_element_of_the_last_top_level_tags(String tags) {
        JobRun run = run(record(UPDATED, tags, ID) + "\n");

        assertThat(run.counters().skippedByReason().badTags()).isEqualTo(1);
    }

    @Test
    void terms_outside_the_tags_array_do_not_count() {
        String members = "\"before\": [{\"term\": 5}], \"tags\": [{\"term\": [{\"term\": \"no\"}], \"term\": \"abc\"}],"
                + " \"after\": [{\"term\": \"no\"}, 1], \"nested\": {\"tags\": [2]}";

        JobRun run = run(record(UPDATED, members, "\"id\": \"a\"") + "\n");

        assertThat(run.rowsText()).isEqualTo(ONE_TAG_ABC_ROW);
    }

    @Test
    void other_members_of_a_tag_are_ignored_and_its_last_term_wins() {
        String tags = "\"tags\": [{\"scheme\": {\"x\": [1, \"}\"]}, \"term\": 5, \"label\": null, \"term\": \"abc\"}]";

        JobRun run = run(record(UPDATED, tags, "\"id\": \"a\"") + "\n");

        assertThat(run.rowsText()).isEqualTo(ONE_TAG_ABC_ROW);
    }

    @Test
    void tag_lengths_are_code_points() {
        // é (2 bytes), e + combining accent (2 code points, escaped), 日本語, an emoji raw and escaped,
        // a lone surrogate escape, two lone surrogates.
        String tags = "\"tags\": [{\"term\": \"é\"}, {\"term\": \"e\\u0301\"}, {\"term\": \"日本語\"},"
                + " {\"term\": \"🎵\"}, {\"term\": \"\\ud83c\\udfb5\"}, {\"term\": \"\\ud800\"},"
                + " {\"term\": \"\\udc00\\ud800\"}]";

        JobRun run = run(record(UPDATED, tags, "\"id\": \"a\"") + "\n");

        // lengths 1, 2, 3, 1, 1, 1, 2: sum 11, f1 = 4, f2 = 2, f3 = 1
        assertThat(run.rowsText()).isEqualTo("a\tSun\tSep\t2009\t11\t36\t20\t7\t11.0\t1.57142857143\t0\t4\t2\t1\t0\t0\t0\t0\t0\t0\n");
    }

    @Test
    void tags_of_ten_code_points_or_more_count_in_num_tags_only() {
        String tags = "\"tags\": [{\"term\": \"\"}, {\"term\": \"123456789\"}, {\"term\": \"1234567890\"},"
                + " {\"term\": \"ééééééééééé\"}]";

        JobRun run = run(record(UPDATED, tags, "\"id\": \"a\"") + "\n");

        assertThat(run.rowsText()).isEqualTo("a\tSun\tSep\t2009\t11\t36\t20\t4\t9.0\t2.25\t1\t0\t0\t0\t0\t0\t0\t0\t0\t1\n");
    }

    @Test
    void only_long_tags_give_a_zero_average() {
        JobRun run = run(record(UPDATED, "\"tags\": [{\"term\": \"entrepreneurship\"}]", "\"id\": \"a\"") + "\n");

        assertThat(run.rowsText()).isEqualTo("a\tSun\tSep\t2009\t11\t36\t20\t1\t0.0\t0.0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n");
    }

    @Test
    void many_tags_give_a_small_average_in_exponent_form() {
        StringBuilder tags = new StringBuilder("\"tags\": [{\"term\": \"a\"}");
        for (int i = 1; i < 20000; i++) {
            tags.append(", {\"term\": \"\"}");
        }
        tags.append(']');

        JobRun run = run(record(UPDATED, tags.toString(), "\"id\": \"a\"") + "\n");

        assertThat(run.rowsText()).isEqualTo("a\tSun\tSep\t2009\t11\t36\t20\t20000\t1.0\t5e-05\t19999\t1\t0\t0\t0\t0\t0\t0\t0\t0\n");
    }

    // ---- rule 6: updated ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "\"tags\": []", // bad tags and bad updated: rule 5 comes first
    })
    void bad_tags_win_over_a_bad_updated_and_a_bad_id(String tags) {
        JobRun run = run(record("\"updated\": 5", tags, "\"id\": 7") + "\n");

        assertThat(run.counters().skippedByReason().badTags()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "\"updated\": 1252236980", "\"updated\": null", "\"updated\": [\"Sun\"]", "\"updated\": \"\"",
        "\"updated\": \"Sun, 06 Sep 2009\"", "\"updated\": \"Sun, 06 Sep 2009 11:36 +0000\"",
        "\"updated\": \"Sun,  06 Sep 2009 11:36:20\"", "\"updated\": \" Sun 06 Sep 2009 11:36:20\"",
        "\"updated\": \"Sun\\t06 Sep 2009 11:36:20 +0000\"",
    })
    void an_updated_that_is_not_a_string_of_five_fields_with_a_three_part_time_is_bad_updated(String updated) {
        JobRun run = run(record(updated, TAGS, "\"id\": 7") + "\n");

        assertThat(run.counters().skippedByReason().badUpdated()).isEqualTo(1);
    }

    @Test
    void a_missing_updated_is_bad_updated() {
        assertThat(run(record(TAGS, ID) + "\n").counters().skippedByReason().badUpdated()).isEqualTo(1);
    }

    @Test
    void updated_values_are_copied_verbatim() {
        assertThat(run(record("\"updated\": \"Foo, 99 Bar 1999 aa:bb:cc\"", TAGS, "\"id\": \"a\"") + "\n").rowsText())
                .startsWith("a\tFoo\tBar\t1999\taa\tbb\tcc\t4\t");
    }

    @Test
    void every_comma_is_removed_before_splitting_on_single_spaces() {
        JobRun run = run(record("\"updated\": \",Sun,, 06, Sep 2009 1,1:36:20:99 extra  fields\"", TAGS, "\"id\": \"a\"")
                + "\n");

        assertThat(run.rowsText()).startsWith("a\tSun\tSep\t2009\t11\t36\t20\t4\t");
    }

    @Test
    void empty_fields_are_kept_when_enough_separators_exist() {
        JobRun run = run(record("\"updated\": \"    ::\"", TAGS, "\"id\": \"a\"") + "\n");

        assertThat(run.rowsText()).startsWith("a\t\t\t\t\t\t\t4\t");
    }

    // ---- rule 7 and 8 ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\"id\": 5", "\"id\": null", "\"id\": [\"a\"]", "\"id\": {}", "\"idx\": \"a\""})
    void an_id_that_is_not_a_string_is_bad_id(String id) {
        JobRun run = run(record(UPDATED, TAGS, id) + "\n");

        assertThat(run.counters().skippedByReason().badId()).isEqualTo(1);
    }

    @Test
    void a_bad_updated_wins_over_a_bad_id() {
        JobRun run = run(record("\"updated\": \"Sun\"", TAGS, "\"id\": 5") + "\n");

        assertThat(run.counters().skippedByReason().badUpdated()).isEqualTo(1);
        assertThat(run.counters().skippedByReason().badId()).isZero();
    }

    @Test
    void invalid_json_wins_over_every_other_rule() {
        JobRun run = run("[5, \n{\"tags\": 1,}\n");

        assertThat(run.counters().skippedByReason().invalidJson()).isEqualTo(2);
    }

    // ---- too_long ----

    @Test
    void a_line_over_the_cap_is_too_long_and_the_next_line_is_read() {
        String line = record(UPDATED, TAGS, ID);
        JobConfig config = JobConfig.defaults().withMaxLineBytes(line.length());
        byte[] input = (line + "\r\n" + line + " \n" + line + "\n").getBytes(UTF_8);

        for (int chunk : new int[] {1, 3, 64, Integer.MAX_VALUE}) {
            JobRun run = JobRun.of(input, config, chunk, spill);

            assertThat(run.rowsText()).as("chunks of %d", chunk).isEqualTo(SPEC_ROW + SPEC_ROW);
            assertThat(run.counters().skippedByReason().tooLong()).as("chunks of %d", chunk).isEqualTo(1);
        }
    }

    @Test
    void lines_longer_than_a_block_are_kept_up_to_the_cap_and_skipped_beyond() {
        int cap = 300_000;
        String head = "{" + UPDATED + ", " + TAGS + ", " + ID + ", \"pad\": \"";
        String atCap = head + "z".repeat(cap - head.length() - 2) + "\"}";
        String overCap = head + "w".repeat(cap - head.length() - 1) + "\"}";
        String huge = head + "y".repeat(3 * cap) + "\"}";
        byte[] input = (atCap + "\r\n" + huge + "\n" + overCap + "\n" + atCap).getBytes(UTF_8);

        for (int threads : new int[] {1, 2}) {
            for (int chunk : new int[] {16 * 1024, 1 << 20, Integer.MAX_VALUE}) {
                JobRun run = JobRun.of(input, JobConfig.defaults().withMaxLineBytes(cap).withThreads(threads), chunk,
                        spill);

                assertThat(run.rowsText()).as("%d threads, chunks of %d", threads, chunk).isEqualTo(SPEC_ROW + SPEC_ROW);
                assertThat(run.counters().skippedByReason().tooLong()).isEqualTo(2);
            }
        }
    }

    @Test
    void a_last_line_over_the_cap_without_lf_is_too_long() {
        JobConfig config = JobConfig.defaults().withMaxLineBytes(10);
        byte[] input = ("{\"a\": 1}\n" + "x".repeat(1000)).getBytes(UTF_8);

        JobRun run = JobRun.of(input, config, 7, spill);

        assertThat(run.counters().noTags()).isEqualTo(1);
        assertThat(run.counters().skippedByReason().tooLong()).isEqualTo(1);
    }

    // ---- the row's text fields ----

    @Test
    void tab_lf_cr_and_backslash_are_escaped_and_nul_is_dropped() {
        JobRun run = run(record("\"updated\": \"S\\\\n\\tu, 06 S\\u0000ep 2\\r009 1\\n1:36:20\"", TAGS,
                "\"id\": \"a\\tb\\nc\\rd\\\\e\\u0000f\"") + "\n");

        assertThat(run.rowsText()).isEqualTo("a\\\tb\\\nc\\\rd\\\\ef\tS\\\\n\\\tu\tSep\t2\\\r009\t1\\\n1\t36\t20"
                + "\t4\t21.0\t5.25\t0\t0\t0\t0\t1\t2\t0\t1\t0\t0\n");
    }

    @Test
    void lone_surrogates_in_text_are_written_in_their_three_byte_form() {
        JobRun run = run(record(UPDATED, TAGS, "\"id\": \"\\ud800x\"") + "\n");

        assertThat(run.rows()).startsWith(concat(bytes("ED A0 80 78 09"), new byte[0]));
    }

    @Test
    void the_counters_add_up() {
        String input = record(UPDATED, TAGS, ID) + "\n{}\n[]\nnot json\n" + record(UPDATED, "\"tags\": 1", ID) + "\n";
        JobRun run = run(input);
        Counters c = run.counters();

        assertThat(c.lines()).isEqualTo(5).isEqualTo(c.kept() + c.noTags() + c.skipped());
        assertThat(c.skipped()).isEqualTo(3);
        assertThat(c.bytes()).isEqualTo(input.getBytes(UTF_8).length);
    }

    static byte[] bytes(String hex) {
        String[] parts = hex.trim().split(" +");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
