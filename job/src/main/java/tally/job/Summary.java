package tally.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The statistics a user reads first (docs/stats-contract.md, "Summary"), computed over the kept rows in the same pass.
 *
 * <p>JSON shape:
 * <pre>{@code
 * {
 *   "counters": { see Counters },
 *   "tags": {"total": 9, "short": 8, "long": 1, "histogram": [f0, f1, ..., f9]},
 *   "num_tags": {"min": 1, "max": 5, "mean": 3.2},        // min, max, mean are null without rows
 *   "avg_tag_len_mean": 5.1,                               // null without rows
 *   "by_weekday": {"Mon": 3, ..., "Sun": 1},              // Mon..Sun first, other values after, sorted
 *   "by_hour": {"00": 2, "17": 1},                         // ascending (numerically when numbers)
 *   "by_year_month": {"2009-Aug": 1, "2009-Sep": 4},       // year, then Jan..Dec, then other values
 *   "top_terms": [{"term": "design", "count": 12}, ...],   // 20 most frequent, ties by term bytes
 *   "top_terms_approximate": false                         // true once distinct terms passed the bound
 * }
 * }</pre>
 * The {@code by_*} maps keep at most 10,000 distinct values each (hostile input cannot grow them
 * without bound); past that they hold the most frequent values, approximately.
 */
public record Summary(
        Counters counters,
        Tags tags,
        @JsonProperty("num_tags") NumTags numTags,
        @JsonProperty("avg_tag_len_mean") Double avgTagLenMean,
        @JsonProperty("by_weekday") Map<String, Long> byWeekday,
        @JsonProperty("by_hour") Map<String, Long> byHour,
        @JsonProperty("by_year_month") Map<String, Long> byYearMonth,
        @JsonProperty("top_terms") List<TermCount> topTerms,
        @JsonProperty("top_terms_approximate") boolean topTermsApproximate) {

    /** Tags of kept rows: short ones (under 10 code points) fill the histogram by length. */
    public record Tags(
            long total,
            @JsonProperty("short") long shortTags,
            @JsonProperty("long") long longTags,
            List<Long> histogram) {
    }

    /** Tags per kept row. */
    public record NumTags(Integer min, Integer max, Double mean) {
    }

    /** A term and how many tags carried it. */
    public record TermCount(String term, long count) {
    }
}
