package tally.web;

import tally.job.Counters;

/**
 * Whether a finished dataset is worth keeping, for submissions made through the pages. Bad lines in a
 * good file are counted as skipped, with their reason (docs/stats-contract.md, "Per line"), so the rule is narrow: a
 * submission with no line at all, or in which not one line is JSON, was almost certainly the wrong file
 * (a spreadsheet, a compressed file without its {@code .gz} name, a pretty-printed JSON document), and is
 * refused with a message instead of being kept as a dataset of skipped lines.
 *
 * <p>upload.js applies the same rule to the script path (its {@code unusable} function).
 */
final class SubmissionCheck {

    private SubmissionCheck() {
    }

    /** Null when the dataset is fine; otherwise why not, in words for the person who sent it. */
    static FormPage.FormError refusal(Counters counters) {
        long lines = counters == null ? 0 : counters.lines();
        if (lines == 0) {
            return new FormPage.FormError("Nothing to tally",
                    "The submission had no lines. Choose a file of JSON lines, or paste some lines, "
                            + "one JSON object per line, then submit again.");
        }
        long invalid = counters.skippedByReason().invalidJson();
        if (invalid == lines) {
            return new FormPage.FormError("That does not look like JSON lines",
                    "None of its " + Numbers.grouped(lines) + (lines == 1 ? " line is" : " lines is")
                            + " a JSON value. Tally reads one JSON object per line (JSON lines), optionally "
                            + "gzip-compressed with a .gz name. A file holding one big JSON array needs one "
                            + "object per line instead.");
        }
        return null;
    }
}
