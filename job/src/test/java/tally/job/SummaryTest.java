package tally.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/stats-contract.md, "Summary": figures over the kept rows, and the JSON the service stores and serves. */
@Tag("unit")
class SummaryTest {
    @TempDir
    Path spill;

    private static String line(String id, String updated, String... terms) {
        StringBuilder tags = new StringBuilder();
        for (String t : terms) {
            tags.append(tags.length() == 0 ? "" : ", ").append("{\"term\": \"").append(t).append("\"}");
        }
        return "{\"id\": \"" + id + "\", \"updated\": \"" + updated + "\", \"tags\": [" + tags + "]}\n";
    }

    private final String input = line("a", "Sun, 06 Sep 2009 11:36:20 +0000", "web", "design", "entrepreneurship")
            + line("b", "Mon, 07 Sep 2009 09:00:00 +0000", "web")
            + line("c", "Xyz, 01 Jan 2010 9:00:00 +0000", "design", "css")
            + line("d", "Mon, 31 Aug 2009 23:59:59 +0000", "a")
            + "{\"tags\": [{\"term\": \"notcounted\"}], \"updated\": \"bad\", \"id\": \"e\"}\n"
            + "{\"id\": \"f\"}\n";

    @Test
    void the_summary_counts_only_kept_rows() {
        Summary s = JobRun.of(input, spill).result().summary();

        assertThat(s.counters().kept()).isEqualTo(4);
        assertThat(s.counters().noTags()).isEqualTo(1);
        assertThat(s.counters().skippedByReason().badUpdated()).isEqualTo(1);
        assertThat(s.tags()).isEqualTo(new Summary.Tags(7, 6, 1, List.of(0L, 1L, 0L, 3L, 0L, 0L, 2L, 0L, 0L, 0L)));
        assertThat(s.numTags()).isEqualTo(new Summary.NumTags(1, 3, 7 / 4.0));
        // Row averages: 9/3 = 3, 3/1 = 3, 9/2 = 4.5, 1/1 = 1: mean 2.875.
        assertThat(s.avgTagLenMean()).isEqualTo(2.875);
    }

    @Test
    void calendar_counts_are_ordered_for_reading() {
        Summary s = JobRun.of(input, spill).result().summary();

        assertThat(s.byWeekday()).containsExactly(entry("Mon", 2), entry("Sun", 1), entry("Xyz", 1));
        assertThat(s.byHour()).containsExactly(entry("09", 1), entry("9", 1), entry("11", 1), entry("23", 1));
        assertThat(s.byYearMonth()).containsExactly(entry("2009-Aug", 1), entry("2009-Sep", 2), entry("2010-Jan", 1));
    }

    @Test
    void top_terms_are_the_most_frequent_with_ties_broken_by_term() {
        Summary s = JobRun.of(input, spill).result().summary();

        assertThat(s.topTerms()).containsExactly(new Summary.TermCount("design", 2), new Summary.TermCount("web", 2),
                new Summary.TermCount("a", 1), new Summary.TermCount("css", 1),
                new Summary.TermCount("entrepreneurship", 1));
        assertThat(s.topTermsApproximate()).isFalse();
    }

    @Test
    void top_terms_become_approximate_past_the_bound_and_still_find_the_heavy_hitters() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            many.append(line("x" + i, "Sun, 06 Sep 2009 11:36:20 +0000", "t" + i, i % 3 == 0 ? "heavy" : "light" + i,
                    i % 7 == 0 ? "second" : "z" + i));
        }
        JobConfig config = new JobConfig(JobConfig.DEFAULT_MAX_LINE_BYTES, JobConfig.DEFAULT_SORT_MEMORY_BYTES, 100);

        Summary s = JobRun.of(many.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), config, 4096, spill)
                .result().summary();

        assertThat(s.topTermsApproximate()).isTrue();
        assertThat(s.topTerms()).extracting(Summary.TermCount::term).startsWith("heavy", "second");
        assertThat(s.topTerms().get(0).count()).isBetween(1000L, 1000L + 3000L);
    }

    @Test
    void the_json_uses_the_spec_names_and_reads_back() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JobResult result = JobRun.of(input, spill).result();

        JsonNode json = mapper.readTree(mapper.writeValueAsString(result.summary()));

        assertThat(json.fieldNames()).toIterable().containsExactly("counters", "tags", "num_tags", "avg_tag_len_mean",
                "by_weekday", "by_hour", "by_year_month", "top_terms", "top_terms_approximate");
        assertThat(json.get("counters").fieldNames()).toIterable()
                .containsExactly("bytes", "lines", "kept", "no_tags", "skipped", "skipped_by_reason");
        assertThat(json.at("/counters/skipped_by_reason").fieldNames()).toIterable().containsExactly("invalid_json",
                "not_object", "bad_tags", "bad_updated", "bad_id", "too_long");
        assertThat(json.get("tags").fieldNames()).toIterable().containsExactly("total", "short", "long", "histogram");
        assertThat(json.at("/tags/histogram")).hasSize(10);
        assertThat(json.at("/top_terms/0/term").asText()).isEqualTo("design");
        assertThat(mapper.readValue(mapper.writeValueAsString(result.summary()), Summary.class))
                .isEqualTo(result.summary());
        assertThat(mapper.readValue(mapper.writeValueAsString(result.counters()), Counters.class))
                .isEqualTo(result.counters());
        assertThat(mapper.readValue(mapper.writeValueAsString(result), JobResult.class)).isEqualTo(result);
    }

    @Test
    void the_header_names_the_twenty_columns() {
        assertThat(TagStatsJob.HEADER).isEqualTo("id\tweekday\tmonth\tyear\thour\tminute\tsecond\tnum_tags\t"
                + "sum_tag_len\tavg_tag_len\tf0\tf1\tf2\tf3\tf4\tf5\tf6\tf7\tf8\tf9\n");
    }

    private static java.util.Map.Entry<String, Long> entry(String key, long value) {
        return java.util.Map.entry(key, value);
    }
}
