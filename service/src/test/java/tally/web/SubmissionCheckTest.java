package tally.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import tally.job.Counters;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SubmissionCheckTest {

    /** Counters with these lines and skip reasons, as the job would give them. */
    private static Counters counters(long lines, long invalidJson, long notObject) {
        return new Counters(0, lines, lines - invalidJson - notObject, 0, invalidJson + notObject,
                new Counters.SkippedByReason(invalidJson, notObject, 0, 0, 0, 0));
    }

    @Test
    void a_submission_without_lines_is_refused() throws Exception {
        assertThat(SubmissionCheck.refusal(counters(0, 0, 0)).title())
                .isEqualTo("Nothing to tally");
        assertThat(SubmissionCheck.refusal(null).title()).isEqualTo("Nothing to tally");
    }

    @Test
    void a_submission_in_which_no_line_is_json_is_refused_with_the_count() throws Exception {
        FormPage.FormError refusal = SubmissionCheck.refusal(
                counters(1200, 1200, 0));

        assertThat(refusal.title()).isEqualTo("That does not look like JSON lines");
        assertThat(refusal.detail()).startsWith("None of its 1,200 lines is a JSON value.");
    }

    @Test
    void bad_lines_in_a_good_file_are_counted_not_refused() throws Exception {
        assertThat(SubmissionCheck.refusal(
                counters(3, 2, 0))).isNull();
        assertThat(SubmissionCheck.refusal(
                counters(2, 0, 2))).isNull();
    }
}
