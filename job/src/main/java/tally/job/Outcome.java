package tally.job;

/** What became of one line (SPEC "Per line"); the skip reasons are listed in the spec's rule order. */
enum Outcome {
    KEPT,
    NO_TAGS,
    INVALID_JSON,
    NOT_OBJECT,
    BAD_TAGS,
    BAD_UPDATED,
    BAD_ID,
    TOO_LONG
}
