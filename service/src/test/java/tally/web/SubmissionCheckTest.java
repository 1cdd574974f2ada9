package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SubmissionCheckTest {

    private static JsonNode counters(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void a_submission_without_lines_is_refused() throws Exception {
        assertThat(SubmissionCheck.refusal(counters("{\"lines\": 0, \"skipped_by_reason\": {\"invalid_json\": 0}}")).title())
                .isEqualTo("Nothing to tally");
        assertThat(SubmissionCheck.refusal(null).title()).isEqualTo("Nothing to tally");
    }

    @Test
    void a_submission_in_which_no_line_is_json_is_refused_with_the_count() throws Exception {
        FormPage.FormError refusal = SubmissionCheck.refusal(
                counters("{\"lines\": 1200, \"skipped_by_reason\": {\"invalid_json\": 1200}}"));

        assertThat(refusal.title()).isEqualTo("That does not look like JSON lines");
        assertThat(refusal.detail()).startsWith("None of its 1,200 lines is a JSON value.");
    }

    @Test
    void bad_lines_in_a_good_file_are_counted_not_refused() throws Exception {
        assertThat(SubmissionCheck.refusal(
                counters("{\"lines\": 3, \"skipped_by_reason\": {\"invalid_json\": 2}}"))).isNull();
        assertThat(SubmissionCheck.refusal(
                counters("{\"lines\": 2, \"skipped_by_reason\": {\"invalid_json\": 0, \"not_object\": 2}}"))).isNull();
    }
}
