package tally.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class NameRulesTest {
    @Test
    void a_name_of_up_to_200_characters_of_one_line_is_fine() {
        assertThat(NameRules.problem("Bookmarks, September 2009 (été) 日本語 🎉")).isNull();
        assertThat(NameRules.problem("🎉".repeat(200))).as("200 code points, 400 UTF-16 units").isNull();
        assertThat(NameRules.problem(null)).isNull();
    }

    @Test
    void a_long_name_a_control_character_or_a_direction_override_is_refused_with_the_reason() {
        assertThat(NameRules.problem("x".repeat(201))).contains("201 characters").contains("at most 200");
        assertThat(NameRules.problem("two\nlines")).contains("U+000A");
        assertThat(NameRules.problem("bell\u0007")).contains("U+0007");
        assertThat(NameRules.problem("\u202Egnp.exe")).contains("U+202E").contains("direction");
        assertThat(NameRules.problem("a\u2066b")).contains("U+2066");
    }

    @Test
    void a_file_name_is_made_to_fit_rather_than_refused() {
        assertThat(NameRules.fitted("\u202Egnp.exe")).isEqualTo("gnp.exe");
        assertThat(NameRules.fitted("y".repeat(500))).hasSize(200);
        assertThat(NameRules.problem(NameRules.fitted("a\tb" + "z".repeat(300)))).isNull();
    }
}
